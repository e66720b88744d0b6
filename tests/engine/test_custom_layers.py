"""Keras-1 custom layers (2016 style) and nested models, against real Keras 1.2.2 numbers."""

import numpy as np
import pytest
import torch

from keras_compat import backend as K
from keras_compat.engine.topology import Layer
from keras_compat.layers import Dense, Input, merge
from keras_compat.models import Model, Sequential, model_from_json


class ScaleShift(Layer):
    """y = tanh(x * W + b), written exactly as a 2016 tutorial layer."""

    def __init__(self, **kwargs):
        super(ScaleShift, self).__init__(**kwargs)

    def build(self, input_shape):
        d = input_shape[-1]
        self.W = K.variable(np.ones((d,)), name="{}_W".format(self.name))
        self.b = K.variable(np.zeros((d,)), name="{}_b".format(self.name))
        self.trainable_weights = [self.W, self.b]

    def call(self, x, mask=None):
        return K.tanh(x * self.W + self.b)

    def get_output_shape_for(self, input_shape):
        return input_shape


class MyDense(Layer):
    """Uses add_weight with a regularizer and a constraint (Keras 1.2 style)."""

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super(MyDense, self).__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight((input_shape[1], self.output_dim), initializer="uniform",
                                      name="{}_W".format(self.name), regularizer="l2",
                                      constraint="maxnorm")
        self.counter = self.add_weight((1,), initializer="zero", name="{}_c".format(self.name),
                                       trainable=False)

    def call(self, x, mask=None):
        return K.dot(x, self.kernel)

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)

    def get_config(self):
        config = {"output_dim": self.output_dim}
        base = super(MyDense, self).get_config()
        return dict(list(base.items()) + list(config.items()))


def _custom_model():
    x = Input(shape=(4,))
    return Model(input=x, output=ScaleShift()(Dense(3)(x)))


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_custom_layer_with_own_weights_matches_keras1(backend, oracle):
    recorded = oracle("functional_custom_layer", backend)
    xs, ws, y = recorded.xs, recorded.weights, recorded.y
    model = _custom_model()
    assert [w.shape for w in model.get_weights()] == [w.shape for w in ws]
    model.set_weights(ws)
    np.testing.assert_allclose(model.predict(xs[0], batch_size=4), y, atol=1e-5)


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_nested_model_matches_keras1(backend, oracle):
    recorded = oracle("functional_nested_model", backend)
    xs, ws, y = recorded.xs, recorded.weights, recorded.y
    inner = Sequential([Dense(4, input_dim=3, activation="relu"), Dense(3)])
    x = Input(shape=(3,))
    h = inner(x)
    out = Dense(2)(merge([h, inner(h)], mode="sum"))
    model = Model(input=x, output=out)
    model.set_weights(ws)
    np.testing.assert_allclose(model.predict(xs[0], batch_size=4), y, atol=1e-5)


def test_custom_layer_registers_parameters_trains_saves_and_loads(tmp_path):
    model = _custom_model()
    layer = model.layers[-1]
    names = dict(layer.named_parameters())
    assert set(names) == {"W", "b"} and all(p.requires_grad for p in names.values())
    assert layer.keras1_weight_names() == ["scaleshift_1_W", "scaleshift_1_b"]
    model.compile("sgd", "mse")
    x = np.random.rand(16, 4).astype("float32")
    y = np.random.rand(16, 3).astype("float32") * 0.5
    before = layer.get_weights()
    model.fit(x, y, nb_epoch=2, batch_size=4, verbose=0)
    assert not np.allclose(before[0], layer.get_weights()[0])
    path = str(tmp_path / "w.pt")
    model.save_weights(path)
    clone = model_from_json(model.to_json(), custom_objects={"ScaleShift": ScaleShift})
    clone.load_weights(path)
    np.testing.assert_allclose(clone.predict(x), model.predict(x), rtol=1e-6)


def test_add_weight_regularizer_constraint_non_trainable():
    model = Sequential([MyDense(2, input_shape=(3,))])
    layer = model.layers[0]
    assert [w.shape for w in layer.get_weights()] == [(3, 2), (1,)]
    assert len(layer.trainable_weights) == 1 and len(layer.non_trainable_weights) == 1
    assert model.has_regularizers()
    assert len(layer.regularization_losses()) == 1
    assert layer.kernel in layer.constraints()
    model.compile("sgd", "mse")
    model.fit(np.random.rand(8, 3).astype("float32") * 10, np.random.rand(8, 2) * 10,
              nb_epoch=1, verbose=0)
    norms = np.sqrt((layer.get_weights()[0] ** 2).sum(0))
    assert (norms <= 2 + 1e-5).all()  # maxnorm(2) applied after the update
    assert layer.get_config()["output_dim"] == 2


def test_keras2_compute_output_shape_is_used():
    class Half(Layer):
        def call(self, x, mask=None):
            return x[:, :2]

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 2)

    x = Input(shape=(4,))
    assert Half()(x).shape == (None, 2)


def test_declared_shape_mismatch_is_a_build_time_error():
    class Wrong(Layer):
        def call(self, x, mask=None):
            return x[:, :2]

        def get_output_shape_for(self, input_shape):
            return input_shape

    with pytest.raises(ValueError, match="wrong_1.*declares the output shape \\(None, 4\\).*\\(None, 2\\)"):
        Wrong()(Input(shape=(4,)))


def test_trainable_weights_from_plain_tensors_become_parameters():
    class Plain(Layer):
        def build(self, input_shape):
            self.W = torch.ones(input_shape[-1])
            self.trainable_weights = [self.W]

        def call(self, x, mask=None):
            return x * self.W

    x = Input(shape=(3,))
    layer = Plain()
    layer(x)
    assert isinstance(layer.W, torch.nn.Parameter) and "W" in dict(layer.named_parameters())
