"""model.to_torch() for the Dense variants, SpatialDropout and the advanced activation layers."""
import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers import (ELU, LSTM, PReLU, SReLU, Convolution2D, Dense, Embedding,
                                 Highway, LeakyReLU, MaxoutDense, ParametricSoftplus,
                                 SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
                                 ThresholdedReLU, TimeDistributed, TimeDistributedDense)
from keras_compat.models import Sequential

BACKENDS = ["theano", "tensorflow"]


def _check(model, x, atol=1e-6):
    ported = model.to_torch()
    assert not ported.training
    with torch.no_grad():
        got = ported(torch.from_numpy(x)).numpy()
    expected = model.predict(x)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=atol, rtol=0)
    return ported


def _randomize(model, scale=0.5):
    """Random weights of both signs, so gates, slopes and thresholds all matter."""
    for layer in model.layers:
        arrays = layer.get_weights()
        if arrays:
            layer.set_weights([(np.random.randn(*a.shape) * scale).astype("float32")
                               for a in arrays])


def _inputs(*shape, scale=2.0):
    return (np.random.randn(*shape) * scale).astype("float32")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("activation,bias", [("linear", True), ("tanh", True), ("relu", False)])
def test_highway(backend, activation, bias):
    config.set_backend(backend)
    model = Sequential([Dense(5, input_dim=3), Highway(activation=activation, bias=bias),
                        Highway(activation="sigmoid")])
    _randomize(model)
    ported = _check(model, _inputs(4, 3))
    state = ported.state_dict()
    w, w_carry = model.layers[1].get_weights()[:2]
    np.testing.assert_array_equal(state["highway_1.weight"].numpy(), w.T)
    np.testing.assert_array_equal(state["highway_1_carry.weight"].numpy(), w_carry.T)
    assert ("highway_1.bias" in state) == bias


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("nb_feature,bias", [(4, True), (1, True), (3, False)])
def test_maxout_dense(backend, nb_feature, bias):
    config.set_backend(backend)
    model = Sequential([MaxoutDense(3, nb_feature=nb_feature, bias=bias, input_dim=5),
                        MaxoutDense(2)])
    _randomize(model)
    ported = _check(model, _inputs(6, 5))
    # Documented layout: row k * output_dim + j of the torch weight is Keras' W[k, :, j].
    keras_w = model.layers[0].get_weights()[0]
    torch_w = ported.state_dict()["maxoutdense_1.weight"].numpy()
    assert torch_w.shape == (nb_feature * 3, 5)
    np.testing.assert_array_equal(torch_w[1 * 3 + 2] if nb_feature > 1 else torch_w[2],
                                  keras_w[1, :, 2] if nb_feature > 1 else keras_w[0, :, 2])


@pytest.mark.filterwarnings("ignore:`TimeDistributedDense` is deprecated")
@pytest.mark.parametrize("backend", BACKENDS)
def test_time_distributed_dense_with_softmax_and_mask(backend):
    config.set_backend(backend)
    model = Sequential([Embedding(7, 4, input_length=5, mask_zero=True),
                        TimeDistributedDense(6, activation="softmax"),
                        SpatialDropout1D(0.4),
                        TimeDistributedDense(3, bias=False),
                        LSTM(2, return_sequences=True)])
    _randomize(model)
    x = np.random.randint(1, 7, size=(3, 5)).astype("float32")
    x[0, 3:] = 0  # padding: the mask must flow through the dense and dropout layers
    x[2, 1:] = 0
    _check(model, x)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_spatial_dropout_is_the_identity_at_inference(backend, ordering):
    config.set_backend(backend)
    shape2d = (2, 5, 4) if ordering == "th" else (5, 4, 2)
    model = Sequential([SpatialDropout2D(0.5, dim_ordering=ordering, input_shape=shape2d),
                        Convolution2D(3, 2, 2, dim_ordering=ordering)])
    _randomize(model)
    _check(model, _inputs(2, *shape2d))
    shape3d = (2, 3, 4, 5) if ordering == "th" else (3, 4, 5, 2)
    _check(Sequential([SpatialDropout3D(0.3, dim_ordering=ordering, input_shape=shape3d)]),
           _inputs(2, *shape3d))


@pytest.mark.parametrize("layer,shape,channel_axis", [
    (lambda: SpatialDropout1D(0.5, input_shape=(40, 6)), (40, 6), 2),
    (lambda: SpatialDropout2D(0.5, dim_ordering="th", input_shape=(6, 7, 8)), (6, 7, 8), 1),
    (lambda: SpatialDropout2D(0.5, dim_ordering="tf", input_shape=(7, 8, 6)), (7, 8, 6), 3),
    (lambda: SpatialDropout3D(0.5, dim_ordering="th", input_shape=(6, 3, 4, 5)), (6, 3, 4, 5), 1),
    (lambda: SpatialDropout3D(0.5, dim_ordering="tf", input_shape=(3, 4, 5, 6)), (3, 4, 5, 6), 4),
])
def test_spatial_dropout_trains_on_the_keras_channel_axis(layer, shape, channel_axis):
    ported = Sequential([layer()]).to_torch().train()
    x = torch.rand((8,) + shape) + 1.0  # no zeros of its own
    ratio = (ported(x) / x).movedim(channel_axis, 1).reshape(8, shape[channel_axis - 1], -1)
    # One draw per (sample, channel): each channel is all dropped or all scaled by 1 / (1 - p).
    per_channel = ratio[:, :, :1]
    torch.testing.assert_close(ratio, per_channel.expand_as(ratio))
    values = set(per_channel.flatten().tolist())
    assert values == {0.0, 2.0}


@pytest.mark.parametrize("backend", BACKENDS)
def test_fixed_activation_layers(backend):
    config.set_backend(backend)
    model = Sequential([Dense(6, input_dim=4), LeakyReLU(0.3), Dense(6), LeakyReLU(-0.2),
                        Dense(6), ELU(alpha=0.3), Dense(6), ELU(), Dense(6),
                        ThresholdedReLU(theta=0.4), Dense(3)])
    _randomize(model)
    ported = _check(model, _inputs(8, 4))
    source = ported._keras_compat_source
    assert "F.leaky_relu(x, -0.2)" in source and "F.elu(x, 1.0)" in source


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("shared_axes,param_shape", [(None, (3, 4, 2)), ([1, 2], (1, 1, 2)),
                                                     (3, (3, 4, 1))])
def test_prelu_and_parametric_softplus(backend, shared_axes, param_shape):
    config.set_backend(backend)
    model = Sequential([PReLU(shared_axes=shared_axes, input_shape=(3, 4, 2)),
                        ParametricSoftplus(shared_axes=shared_axes)])
    _randomize(model)
    ported = _check(model, _inputs(5, 3, 4, 2))
    state = ported.state_dict()
    assert {k: tuple(v.shape) for k, v in state.items()} == {
        "prelu_1_alphas": param_shape, "parametricsoftplus_1_alphas": param_shape,
        "parametricsoftplus_1_betas": param_shape}
    np.testing.assert_array_equal(state["prelu_1_alphas"].numpy(),
                                  model.layers[0].get_weights()[0])
    assert all(isinstance(p, torch.nn.Parameter) for p in ported.parameters())
    assert len(list(ported.parameters())) == 3


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("shared_axes", [None, [1]])
def test_srelu_follows_the_backend(backend, shared_axes):
    config.set_backend(backend)
    model = Sequential([SReLU(shared_axes=shared_axes, input_shape=(6, 5))])
    shape = model.layers[0].get_weights()[0].shape
    # A negative left slope is where Keras 1's backends differ (Theano clips that branch).
    model.layers[0].set_weights([np.random.randn(*shape).astype("float32") * 0.3,
                                 -np.abs(np.random.randn(*shape)).astype("float32") - 0.5,
                                 np.random.randn(*shape).astype("float32"),
                                 np.random.randn(*shape).astype("float32")])
    ported = _check(model, _inputs(4, 6, 5, scale=3.0))
    clipped = "torch.minimum(self.srelu_1_a_left * z, m)" in ported._keras_compat_source
    assert clipped == (backend == "theano")


def test_srelu_backends_really_differ():
    model = Sequential([SReLU(input_shape=(5,))])
    model.layers[0].set_weights([np.zeros(5, "float32"), np.full(5, -2.0, "float32"),
                                 np.ones(5, "float32"), np.ones(5, "float32")])
    x = np.full((1, 5), -3.0, "float32")  # left branch: -2 * -3 = 6, above the width 1
    ported = {}
    for backend in BACKENDS:
        config.set_backend(backend)
        ported[backend] = model.to_torch()(torch.from_numpy(x)).detach().numpy()
        np.testing.assert_allclose(ported[backend], model.predict(x), atol=1e-6, rtol=0)
    np.testing.assert_allclose(ported["theano"], 1.0)
    np.testing.assert_allclose(ported["tensorflow"], 6.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_activations_inside_time_distributed(backend):
    config.set_backend(backend)
    model = Sequential([TimeDistributed(PReLU(), input_shape=(3, 4)),
                        TimeDistributed(Highway(activation="tanh")),
                        TimeDistributed(MaxoutDense(2, nb_feature=3))])
    _randomize(model)
    _check(model, _inputs(2, 3, 4))


def test_every_core_noise_and_activation_layer_has_a_translator():
    from keras_compat import layers
    from keras_compat.port.registry import translator_for
    exported = set(layers.core.__all__) | set(layers.advanced_activations.__all__) \
        | set(layers.noise.__all__)
    for name in sorted(exported - {"Lambda", "Layer"}):
        cls = getattr(layers, name)
        assert translator_for(cls.__new__(cls)), name
