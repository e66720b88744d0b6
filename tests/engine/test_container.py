

def test_execution_plan_lists_the_layer_calls_in_order_with_their_slots():
    from keras_compat.layers import Dense, Input, merge
    from keras_compat.models import Model
    a, b = Input(shape=(3,), name="a"), Input(shape=(3,), name="b")
    left, right = Dense(2, name="left")(a), Dense(2, name="right")(b)
    out = Dense(1, name="out")(merge([left, right], mode="concat", name="joined"))
    plan = Model([a, b], out).execution_plan()
    assert [step.layer.name for step in plan.steps][-2:] == ["joined", "out"]
    assert {step.layer.name for step in plan.steps[:2]} == {"left", "right"}
    produced = dict(zip(plan.inputs, "ab"))
    for step in plan.steps:
        assert all(slot in produced for slot in step.inputs)  # every input made earlier
        produced.update((slot, step.layer.name) for slot in step.outputs)
    assert [produced[slot] for slot in plan.outputs] == ["out"]
