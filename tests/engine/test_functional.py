"""Functional API: Input, layer calls on symbolic tensors, Model, nested models, errors."""
import json

import numpy as np
import pytest

from keras_compat import backend as K
from keras_compat.layers import Activation, BatchNormalization, Dense, Input, merge
from keras_compat.models import Model, Sequential, model_from_json


def _merge_model():
    a = Input(shape=(6,), name="in_a")
    b = Input(shape=(5,), name="in_b")
    ha = Dense(4, activation="tanh")(a)
    hb = Dense(4, activation="tanh")(b)
    c = merge([ha, hb], mode="concat")
    s = merge([ha, hb], mode="sum")
    p = merge([ha, hb], mode="mul")
    v = merge([ha, hb], mode="ave")
    d = merge([ha, hb], mode="dot", dot_axes=1)
    cs = merge([ha, hb], mode="cos", dot_axes=1)
    h = merge([c, s, p, v], mode="concat")
    out1 = Dense(3, activation="softmax", name="out1")(h)
    out2 = Dense(1, name="out2")(d)
    return Model(input=[a, b], output=[out1, out2, cs])


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_model_functional_merge_matches_keras1(backend, oracle):
    recorded = oracle("model_functional_merge", backend)
    inputs, outputs = recorded.inputs, recorded
    model = _merge_model()
    model.set_weights([inputs["w_%02d" % i] for i in range(8)])
    ys = model.predict([inputs["x_0"], inputs["x_1"]], batch_size=4)
    assert len(ys) == 3
    for i, y in enumerate(ys):
        assert y.shape == outputs["y_%d" % i].shape
        np.testing.assert_allclose(y, outputs["y_%d" % i], atol=1e-5)
    # cos declares (None, 1) but returns (b, 1, 1), as Keras 1 did
    assert model.outputs[2].shape == (None, 1)
    assert ys[2].shape == (4, 1, 1)


def test_summary_connected_to_column_matches_keras1(capsys, oracle):
    recorded = oracle("model_functional_merge", "theano")
    inputs, outputs = recorded.inputs, recorded
    K.clear_session()
    # Keras' run had created 12 Dense layers before this model: skip the same names.
    for _ in range(12):
        Dense(1)
    _merge_model().summary()
    printed = capsys.readouterr().out
    meta = json.loads(str(outputs["meta"]))
    assert printed.strip("\n") == meta["summary"].strip("\n")


def test_layers_order_get_layer_and_io():
    model = _merge_model()
    names = [layer.name for layer in model.layers]
    assert names[:4] == ["in_a", "in_b", "dense_1", "dense_2"]
    assert model.get_layer("out1") is model.layers[names.index("out1")]
    assert model.get_layer(index=2).name == "dense_1"
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="only has"):
        model.get_layer(index=99)
    assert [t.shape for t in model.inputs] == [(None, 6), (None, 5)]
    assert model.output_names == ["out1", "out2", "merge_6"]
    dense = model.get_layer("dense_1")
    assert dense.output.shape == (None, 4) and dense.input is model.inputs[0]
    assert dense.output_shape == (None, 4)


def test_shared_layer_nodes():
    a, b = Input(shape=(3,)), Input(shape=(3,))
    shared = Dense(2)
    ya, yb = shared(a), shared(b)
    assert len(shared.inbound_nodes) == 2
    assert shared.get_output_at(0) is ya and shared.get_output_at(1) is yb
    assert shared.get_input_at(1) is b
    assert shared.get_output_shape_at(1) == (None, 2)
    with pytest.raises(Exception, match="multiple inbound nodes"):
        shared.output
    model = Model([a, b], merge([ya, yb], mode="sum"))
    assert len(model.get_weights()) == 2
    x = np.random.rand(4, 3).astype("float32")
    w, bias = shared.get_weights()
    np.testing.assert_allclose(model.predict([x, x]), 2 * (x @ w + bias), rtol=1e-5)


def test_keras2_inputs_outputs_spellings():
    x = Input(shape=(3,))
    model = Model(inputs=x, outputs=Dense(2)(x))
    assert model.predict(np.zeros((2, 3), "float32")).shape == (2, 2)


def test_sequential_inside_model_and_model_inside_sequential():
    inner = Sequential([Dense(4, input_dim=3, activation="relu"), Dense(3)])
    x = Input(shape=(3,))
    y = inner(x)
    y2 = inner(y)
    model = Model(x, Dense(2)(merge([y, y2], mode="sum")))
    data = np.random.rand(5, 3).astype("float32")
    assert model.predict(data).shape == (5, 2)
    assert [n for n in model.summary_rows()[1][3]] == ["input_1[0][0]", "sequential_1[1][0]"]
    config = model.get_config()
    assert config["layers"][1]["inbound_nodes"] == [[["input_1", 0, 0]], [["sequential_1", 1, 0]]]
    # a Model used as a layer of a Sequential
    seq = Sequential([model, Activation("softmax")])
    out = seq.predict(data)
    np.testing.assert_allclose(out.sum(-1), 1, rtol=1e-5)
    seq.compile("sgd", "categorical_crossentropy")
    before = [w.copy() for w in seq.get_weights()]
    seq.fit(data, np.eye(2)[np.arange(5) % 2], nb_epoch=1, verbose=0)
    assert any(not np.allclose(a, b) for a, b in zip(before, seq.get_weights()))


def test_multi_output_compile_fit_with_dicts():
    a = Input(shape=(4,), name="a")
    h = Dense(8, activation="relu")(a)
    o1 = Dense(3, activation="softmax", name="cls")(h)
    o2 = Dense(1, name="reg")(h)
    model = Model(input=a, output=[o1, o2])
    model.compile("adam", loss={"cls": "categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1., "reg": 0.5}, metrics=["accuracy"])
    assert model.metrics_names == ["loss", "cls_loss", "reg_loss", "cls_acc", "reg_acc"]
    x = np.random.rand(32, 4).astype("float32")
    y1 = np.eye(3)[np.random.randint(0, 3, 32)]
    y2 = x.sum(1, keepdims=True)
    hist = model.fit({"a": x}, {"cls": y1, "reg": y2}, nb_epoch=3, batch_size=8, verbose=0)
    assert set(hist.history) >= {"loss", "cls_loss", "reg_loss", "cls_acc", "reg_acc"}
    total, l1, l2, _, _ = model.evaluate(x, [y1, y2], verbose=0)
    assert abs(total - (l1 + 0.5 * l2)) < 1e-4
    assert hist.history["loss"][-1] < hist.history["loss"][0]
    preds = model.predict(x)
    assert preds[0].shape == (32, 3) and preds[1].shape == (32, 1)
    # a Keras-2 dict with an unknown name is a clear error
    with pytest.raises(ValueError, match="names no model target"):
        model.fit(x, {"cls": y1, "nope": y2}, nb_epoch=1, verbose=0)
    with pytest.raises(ValueError, match="Unknown entry in loss dictionary"):
        model.compile("sgd", loss={"cls": "mse", "bogus": "mse"})


def test_temporal_sample_weights_multi_input():
    a, b = Input(shape=(3, 2)), Input(shape=(3, 2))
    out = Dense(1)(merge([a, b], mode="concat"))
    model = Model([a, b], out)
    model.compile("sgd", "mse", sample_weight_mode="temporal")
    x = np.random.rand(6, 3, 2).astype("float32")
    y = np.random.rand(6, 3, 1).astype("float32")
    w = np.ones((6, 3), "float32")
    w[:, 2] = 0.
    loss = model.test_on_batch([x, x], y, sample_weight=w)
    pred = model.predict([x, x])
    err = ((pred - y) ** 2).mean(-1)
    expected = (err * w).mean() / (w != 0).mean()
    assert abs(loss - expected) < 1e-5


def test_missing_input_and_disconnected_graph_errors():
    a, b = Input(shape=(3,)), Input(shape=(3,))
    out = Dense(1)(merge([a, b], mode="sum"))
    with pytest.raises(ValueError, match="Graph disconnected.*input_2"):
        Model(input=a, output=out)
    model = Model([a, b], out)
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="Expected to see 2 arrays"):
        model.fit([np.zeros((2, 3))], np.zeros((2, 1)), verbose=0)
    with pytest.raises(ValueError, match="No data provided for \"input_2\""):
        model.fit({"input_1": np.zeros((2, 3))}, np.zeros((2, 1)), verbose=0)


def test_config_round_trip_and_weights_file(tmp_path):
    model = _merge_model()
    data = [np.random.rand(3, 6).astype("float32"), np.random.rand(3, 5).astype("float32")]
    path = str(tmp_path / "w.pt")
    model.save_weights(path)
    clone = model_from_json(model.to_json())
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    clone.load_weights(path)
    for a, b in zip(model.predict(data), clone.predict(data)):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    config = model.get_config()
    assert config["input_layers"] == [["in_a", 0, 0], ["in_b", 0, 0]]
    assert config["output_layers"][0] == ["out1", 0, 0]


def test_batchnorm_non_trainable_counted_in_summary(capsys):
    a, b = Input(shape=(32,)), Input(shape=(32,))
    shared = Dense(16)
    h = merge([shared(a), shared(b)], mode="sum")
    model = Model([a, b], BatchNormalization()(h))
    model.summary()
    out = capsys.readouterr().out
    assert "input_2[0][0]" in out and "dense_1[1][0]" in out
    assert "Non-trainable params: 32" in out


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_activations_multi_output_model_matches_keras1(backend, oracle):
    from keras_compat import layers
    recorded = oracle("activations", backend)
    inputs, outputs = recorded.inputs, recorded
    x = Input(shape=(6,))
    h = Dense(6)(x)
    names = ["linear", "relu", "sigmoid", "hard_sigmoid", "tanh", "softmax", "softplus",
             "softsign", "elu"]
    outs = [Activation(name)(h) for name in names]
    outs += [layers.LeakyReLU(0.3)(h), layers.ELU(1.0)(h), layers.ThresholdedReLU(0.2)(h),
             layers.PReLU()(h)]
    model = Model(x, outs)
    model.set_weights([inputs["w_%02d" % i] for i in range(3)])
    for i, y in enumerate(model.predict(inputs["x_0"], batch_size=5)):
        np.testing.assert_allclose(y, outputs["y_%d" % i], atol=1e-5)


def test_lambda_on_a_list_of_unmasked_tensors():
    # mnist_siamese_graph.py / variational_autoencoder.py (Keras 1.2.2 examples): Lambda([a, b]).
    # One has_mask flag per input: a list of False flags is no mask (Keras 1 checked any(masks)).
    from keras_compat.layers import Embedding, Lambda

    a, b = Input(shape=(3,)), Input(shape=(3,))
    dist = Lambda(lambda t: K.sqrt(K.sum(K.square(t[0] - t[1]), axis=1, keepdims=True)),
                  output_shape=lambda shapes: (shapes[0][0], 1))([Dense(3)(a), Dense(3)(b)])
    assert dist._keras_shape == (None, 1) and not dist.has_mask
    model = Model([a, b], dist)
    model.compile(optimizer="rmsprop", loss="mse")
    x = np.random.rand(4, 3).astype("float32")
    assert model.predict([x, x + 1]).shape == (4, 1)
    assert np.isfinite(model.train_on_batch([x, x + 1], np.zeros((4, 1))))
    # a real mask on one input still reaches the check
    seq = Input(shape=(5,), dtype="int32")
    masked = Embedding(10, 3, mask_zero=True)(seq)
    with pytest.raises(ValueError, match="does not support masking"):
        Lambda(lambda t: t[0] + t[1], output_shape=lambda s: s[0])([masked, masked])
