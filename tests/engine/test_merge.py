"""Merge layer / merge(): modes, shapes, masks, errors, Merge-in-Sequential, oracle cases."""

import numpy as np
import pytest
import torch

from keras_compat import backend as K
from keras_compat.layers import Dense, Embedding, Input, Merge, merge
from keras_compat.models import Model, Sequential


def _siamese():
    a, b = Input(shape=(5,)), Input(shape=(5,))
    shared = Dense(4, activation="tanh")
    ha, hb = shared(a), shared(b)
    d = merge([ha, hb], mode=lambda t: K.sqrt(K.sum(K.square(t[0] - t[1]), axis=1, keepdims=True)),
              output_shape=(1,))
    s = merge([ha, hb], mode="max")
    out = Dense(2, activation="softmax")(merge([s, d], mode="concat"))
    return Model(input=[a, b], output=out)


def _merge_in_sequential():
    left = Sequential([Dense(3, input_dim=4, activation="relu")])
    right = Sequential([Dense(3, input_dim=6, activation="tanh")])
    model = Sequential()
    model.add(Merge([left, right], mode="concat"))
    model.add(Dense(2, activation="softmax"))
    return model


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_shared_layer_siamese_matches_keras1(backend, oracle):
    recorded = oracle("functional_siamese_shared", backend)
    xs, ws, y = recorded.xs, recorded.weights, recorded.y
    model = _siamese()
    model.set_weights(ws)
    np.testing.assert_allclose(model.predict(xs, batch_size=4), y, atol=1e-5)


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_merge_in_sequential_matches_keras1(backend, oracle):
    recorded = oracle("functional_merge_in_sequential", backend)
    xs, ws, y = recorded.xs, recorded.weights, recorded.y
    model = _merge_in_sequential()
    assert [w.shape for w in model.get_weights()] == [w.shape for w in ws]
    model.set_weights(ws)
    np.testing.assert_allclose(model.predict(xs, batch_size=4), y, atol=1e-5)


def test_merge_in_sequential_trains_and_shares_a_branch(tmp_path):
    shared = Sequential([Dense(3, input_dim=4, activation="relu")])
    model = Sequential()
    model.add(Merge([shared, shared], mode="sum"))  # one Sequential reused: one input (Keras 1)
    model.add(Dense(1, activation="sigmoid"))
    assert len(model.get_weights()) == 4  # the shared branch is counted once
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    x1 = np.random.rand(20, 4).astype("float32")
    y = (x1.sum(1) > 2).astype("float32")
    before = model.get_weights()
    hist = model.fit(x1, y, nb_epoch=2, batch_size=5, verbose=0)
    assert len(hist.history["loss"]) == 2
    assert not np.allclose(before[0], model.get_weights()[0])
    assert model.evaluate(x1, y, verbose=0)[1] >= 0
    with pytest.raises(ValueError, match="Expected to see 1 array"):
        model.predict([x1, x1])
    path = str(tmp_path / "m.pt")
    model.save_weights(path)
    other = Sequential()
    other.add(Merge([Sequential([Dense(3, input_dim=4, activation="relu")])] * 2, mode="sum"))
    other.add(Dense(1, activation="sigmoid"))
    other.load_weights(path)
    np.testing.assert_allclose(other.predict(x1), model.predict(x1), rtol=1e-6)


def _sym(*shapes):
    return [Input(batch_shape=s) for s in shapes]


def test_output_shapes():
    a, b = _sym((None, 3, 4), (None, 3, 4))
    assert merge([a, b], mode="concat", concat_axis=1).shape == (None, 6, 4)
    assert merge([a, b], mode="mul").shape == (None, 3, 4)
    assert merge([a, b], mode="dot", dot_axes=[2, 2]).shape == (None, 3, 3)
    x, y = _sym((None, 5), (None, 5))
    assert merge([x, y], mode="dot", dot_axes=1).shape == (None, 1)
    assert merge([x, y], mode="cos", dot_axes=-1).shape == (None, 1)
    p, q = _sym((None, 7, 5), (None, 7, 5))
    assert merge([p, q], mode="dot", dot_axes=-1).shape == (None, 7, 7)


def test_numerics_of_every_mode():
    a_np = np.random.rand(3, 4).astype("float32")
    b_np = np.random.rand(3, 4).astype("float32")
    a, b = torch.from_numpy(a_np), torch.from_numpy(b_np)
    cases = {"sum": a_np + b_np, "mul": a_np * b_np, "ave": (a_np + b_np) / 2,
             "max": np.maximum(a_np, b_np), "concat": np.concatenate([a_np, b_np], -1),
             "dot": (a_np * b_np).sum(-1, keepdims=True)}
    for mode, expected in cases.items():
        layer = Merge(mode=mode)
        np.testing.assert_allclose(layer.call([a, b]).numpy(), expected, rtol=1e-6)
    cos = Merge(mode="cos", dot_axes=1).call([a, b]).numpy()
    expected = (a_np * b_np).sum(-1) / np.sqrt((a_np ** 2).sum(-1) * (b_np ** 2).sum(-1))
    assert cos.shape == (3, 1, 1)
    np.testing.assert_allclose(cos[:, 0, 0], expected, rtol=1e-5)


def test_incompatible_shapes_are_clear_errors():
    a, b = _sym((None, 3), (None, 4))
    with pytest.raises(ValueError, match="merge_1.*same output shape.*sum"):
        merge([a, b], mode="sum", name="merge_1")
    with pytest.raises(ValueError, match="dimension incompatibility using dot mode"):
        merge([a, b], mode="dot", dot_axes=1)
    c, d = _sym((None, 3, 2), (None, 4, 5))
    with pytest.raises(ValueError, match="concat"):
        merge([c, d], mode="concat")
    with pytest.raises(ValueError, match="Invalid merge mode"):
        Merge(mode="avg")
    with pytest.raises(ValueError, match="cannot infer its output shape"):
        merge([a, b], mode=lambda t: t[0])


def test_concat_mask_flows_like_keras1():
    a = Input(shape=(4,), dtype="int32")
    b = Input(shape=(4, 3))
    e = Embedding(10, 3, mask_zero=True)(a)
    m = merge([e, b], mode="concat")
    assert m.has_mask
    layer = m._keras_history[0]
    x_e = torch.ones(2, 4, 3)
    x_b = torch.ones(2, 4, 3)
    mask = torch.tensor([[1, 1, 0, 0], [1, 0, 0, 0]], dtype=torch.bool)
    out = layer.compute_mask([x_e, x_b], [mask, None])
    assert out.tolist() == mask.tolist()
    s = merge([e, e], mode="sum")._keras_history[0]
    assert s.compute_mask([x_e, x_e], [mask, torch.ones_like(mask)]).tolist() == mask.tolist()


def test_callable_mode_config_round_trip():
    layer = Merge(mode="concat", concat_axis=1, name="m1")
    config = layer.get_config()
    assert config["mode"] == "concat" and config["mode_type"] == "raw"
    assert config["concat_axis"] == 1
    clone = Merge.from_config(config)
    assert clone.mode == "concat" and clone.name == "m1"


def test_callable_output_mask_receives_the_input_masks_only_as_keras1():
    """Keras 1.2.2 called ``output_mask(masks)`` (test_core.test_merge's fn_output_mask)."""
    import torch
    from keras_compat.layers import Merge
    seen = []

    def output_mask(masks):
        seen.append(masks)
        return masks[0] & masks[1]

    layer = Merge(mode=lambda tup: tup[0] + tup[1], output_shape=lambda s: s[0],
                  output_mask=output_mask)
    a = torch.tensor([[True, False, True]])
    b = torch.tensor([[True, True, False]])
    out = layer.compute_mask([torch.zeros(1, 3, 2), torch.zeros(1, 3, 2)], [a, b])
    assert out.tolist() == [[True, False, False]] and len(seen) == 1 and len(seen[0]) == 2
    assert layer._output_mask is output_mask  # where Keras 1 kept it (its test_core reads it)


def test_reloaded_lambda_merge_mode_sees_k_as_keras1():
    """Keras 1 restored serialised lambdas with globals holding ``K`` (its test_core.test_merge
    reloads ``mode=lambda tup: K.concatenate([tup[0], tup[1]])``)."""
    a, b = Input(shape=(2,)), Input(shape=(2,))
    merged = merge([a, b], mode=lambda tup: K.concatenate([tup[0], tup[1]]),
                   output_shape=lambda tup: tup[0][:-1] + (tup[0][-1] + tup[1][-1],))
    model = Model.from_config(Model([a, b], merged).get_config())
    x = [np.ones((3, 2), "float32"), np.zeros((3, 2), "float32")]
    np.testing.assert_array_equal(model.predict(x), np.concatenate(x, axis=1))


def test_one_element_output_list_behaves_as_one_output_as_keras1():
    """Keras 1.2.2 test_merge_mask_2d: Model([a, b], [merged]) trains on [y] and predicts an
    array (one-element lists were unwrapped)."""
    from keras_compat.layers import Masking
    a, b = Input(shape=(3,)), Input(shape=(3,))
    merged = merge([Masking(mask_value=0)(a), Masking(mask_value=0)(b)], mode="sum")
    model = Model([a, b], [merged])
    model.compile(loss="mse", optimizer="sgd")
    x = [np.ones((2, 3), "float32"), np.ones((2, 3), "float32")]
    model.fit(x, [np.ones((2, 3), "float32")], nb_epoch=1, verbose=0)
    assert isinstance(model.predict(x), np.ndarray) and model.output is merged


def test_merge_of_the_same_model_twice_takes_one_input():
    # Keras 1.2.2 test_merge_overlap: Merge([left, left]) in a Sequential has one input, fed
    # to both places, and the shared weights once.
    left = Sequential([Dense(4, input_dim=3, activation="relu")])
    model = Sequential([Merge([left, left], mode="sum"), Dense(2)])
    assert model.input_shape == (None, 3)
    model.compile(loss="mse", optimizer="sgd")
    x = np.random.RandomState(0).rand(5, 3).astype("float32")
    w, b = left.layers[0].get_weights()
    hidden = np.maximum(x.dot(w) + b, 0)
    w2, b2 = model.layers[-1].get_weights()
    np.testing.assert_allclose(model.predict(x), (2 * hidden).dot(w2) + b2, rtol=1e-5, atol=1e-6)
    assert len(model.get_weights()) == 4
    model.fit(x, np.zeros((5, 2), "float32"), nb_epoch=1, verbose=0)


def test_merge_of_models_set_weights_changes_nothing_when_a_branch_refuses():
    left = Sequential([Dense(2, input_dim=3)])
    right = Sequential([Dense(2, input_dim=3)])
    merged = Merge([left, right], mode="concat")
    before = merged.get_weights()
    # the left branch takes its new arrays, then the right one refuses a bias of the wrong shape
    attempt = [w + 1.0 for w in before[:-1]] + [np.zeros(5, dtype=np.float32)]
    with pytest.raises(ValueError):
        merged.set_weights(attempt)
    for now, then in zip(merged.get_weights(), before):
        np.testing.assert_array_equal(now, then)


def test_merge_of_models_set_weights_names_the_layer_when_the_count_is_wrong():
    merged = Merge([Sequential([Dense(2, input_dim=3)]), Sequential([Dense(2, input_dim=3)])],
                   mode="sum", name="joined")
    with pytest.raises(ValueError) as error:
        merged.set_weights(merged.get_weights()[:3])
    assert str(error.value) == ("You called `set_weights(weights)` on layer joined with a weight "
                                "list of length 3, but the layer was expecting 4 weights.")
