import numpy as np
import pytest
import torch

from keras_compat import initializations as inits


def _expect_uniform(seed, shape, limit):
    np.random.seed(seed)
    return np.random.uniform(low=-limit, high=limit, size=shape).astype(np.float32)


def _expect_normal(seed, shape, std):
    np.random.seed(seed)
    return np.random.normal(loc=0.0, scale=std, size=shape).astype(np.float32)


def _check(tensor, expected):
    assert isinstance(tensor, torch.Tensor)
    assert tensor.dtype == torch.float32 and tensor.device.type == "cpu"
    assert tuple(tensor.shape) == expected.shape
    np.testing.assert_array_equal(tensor.numpy(), expected)


@pytest.mark.parametrize("shape,ordering,fans", [
    ((7, 5), "th", (7, 5)),
    ((7, 5), "tf", (7, 5)),
    ((4, 3, 3, 3), "th", (27, 36)),               # Conv2D th: (out, in, r, c)
    ((3, 3, 3, 4), "tf", (27, 36)),               # Conv2D tf: (r, c, in, out)
    ((5, 1, 32, 64), "th", (2048, 10240)),       # Conv1D (L, 1, in, out) with th fans
    ((6, 3, 2, 2, 2), "th", (24, 48)),            # Conv3D th
    ((2, 2, 2, 3, 6), "tf", (12, 24)),            # Conv3D tf quirk: only dims 0,1 counted
])
def test_get_fans(shape, ordering, fans):
    assert inits.get_fans(shape, dim_ordering=ordering) == fans


def test_conv1d_th_quirk():
    # Convolution1D builds its kernel as (L, 1, in, out) but asks for 'th' fans:
    # rf = prod(shape[2:]) = in*out, fan_in = 1*in*out, fan_out = L*in*out.
    fan_in, fan_out = inits.get_fans((5, 1, 32, 64), "th")
    assert (fan_in, fan_out) == (1 * 32 * 64, 5 * 32 * 64)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    assert abs(limit - 0.0221) < 1e-4  # instead of 0.112 with the layout-correct fans
    np.random.seed(3)
    got = inits.glorot_uniform((5, 1, 32, 64))
    _check(got, _expect_uniform(3, (5, 1, 32, 64), limit))
    assert float(got.abs().max()) <= limit


def test_fans_fallback_sqrt():
    assert inits.get_fans((9,)) == (3.0, 3.0)
    fan_in, fan_out = inits.get_fans((2, 3, 6))
    assert fan_in == fan_out == pytest.approx(6.0)


def test_invalid_dim_ordering():
    with pytest.raises(ValueError, match="dim_ordering"):
        inits.get_fans((3, 3, 3, 3), dim_ordering="xx")


@pytest.mark.parametrize("name,kind,limit", [
    ("uniform", "u", lambda fi, fo: 0.05),
    ("normal", "n", lambda fi, fo: 0.05),
    ("lecun_uniform", "u", lambda fi, fo: np.sqrt(3.0 / fi)),
    ("glorot_uniform", "u", lambda fi, fo: np.sqrt(6.0 / (fi + fo))),
    ("glorot_normal", "n", lambda fi, fo: np.sqrt(2.0 / (fi + fo))),
    ("he_uniform", "u", lambda fi, fo: np.sqrt(6.0 / fi)),
    ("he_normal", "n", lambda fi, fo: np.sqrt(2.0 / fi)),
])
@pytest.mark.parametrize("shape,ordering", [((7, 5), "th"), ((3, 3, 3, 4), "tf"),
                                            ((4, 3, 3, 3), "th"), ((2, 2, 2, 3, 6), "tf")])
def test_random_initializers_reproduce_numpy(name, kind, limit, shape, ordering):
    fi, fo = inits.get_fans(shape, ordering)
    np.random.seed(1337)
    got = inits.get(name)(shape, dim_ordering=ordering)
    draw = _expect_uniform if kind == "u" else _expect_normal
    _check(got, draw(1337, shape, limit(fi, fo)))


def test_scale_argument_and_name_accepted():
    np.random.seed(5)
    got = inits.uniform((3, 4), scale=0.5, name="w")
    _check(got, _expect_uniform(5, (3, 4), 0.5))
    np.random.seed(5)
    got = inits.normal((3, 4), 0.001, name="w")
    _check(got, _expect_normal(5, (3, 4), 0.001))


def test_draws_advance_global_rng():
    np.random.seed(0)
    a = inits.glorot_uniform((4, 4))
    b = inits.glorot_uniform((4, 4))
    assert not torch.equal(a, b)


@pytest.mark.parametrize("shape", [(6, 6), (4, 9), (9, 4), (4, 2, 3, 3)])
def test_orthogonal(shape):
    np.random.seed(42)
    got = inits.orthogonal(shape)
    flat = (shape[0], int(np.prod(shape[1:])))
    np.random.seed(42)
    a = np.random.normal(0.0, 1.0, flat)
    u, _, v = np.linalg.svd(a, full_matrices=False)
    q = (u if u.shape == flat else v).reshape(shape)
    _check(got, (1.1 * q).astype(np.float32))
    m = got.numpy().reshape(flat).astype(np.float64) / 1.1
    small = min(flat)
    gram = m @ m.T if flat[0] == small else m.T @ m
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-5)
    np.random.seed(42)
    np.testing.assert_allclose(inits.orthogonal(shape, scale=1.0).numpy() * 1.1, got.numpy(),
                               rtol=1e-6)


def test_identity_zero_one():
    _check(inits.identity((3, 3)), np.eye(3, dtype=np.float32))
    _check(inits.identity((3, 3), scale=2.5), 2.5 * np.eye(3, dtype=np.float32))
    with pytest.raises(ValueError, match="2D square"):
        inits.identity((3, 4))
    with pytest.raises(ValueError):
        inits.identity((3, 3, 3))
    _check(inits.zero((2, 3)), np.zeros((2, 3), np.float32))
    _check(inits.one([4]), np.ones(4, np.float32))


def test_zero_does_not_consume_rng():
    np.random.seed(9)
    inits.zero((3, 3))
    inits.one((3, 3))
    assert np.random.uniform() == np.random.RandomState(9).uniform()


@pytest.mark.parametrize("alias,target", [
    ("zeros", "zero"), ("ones", "one"), ("random_uniform", "uniform"),
    ("random_normal", "normal"), ("glorot_uniform", "glorot_uniform"),
    ("he_normal", "he_normal"), ("orthogonal", "orthogonal"), ("identity", "identity"),
])
def test_get_names_and_keras2_aliases(alias, target):
    fn = inits.get(alias)
    assert fn is getattr(inits, target)
    assert inits.serialize(fn) == target


def test_get_callable_and_unknown():
    custom = lambda shape, name=None: inits.normal(shape, scale=0.001, name=name)  # noqa: E731
    assert inits.get(custom) is custom
    for bad in ("nope", "lecun_normal", "truncated_normal", "variance_scaling"):
        with pytest.raises(ValueError) as info:
            inits.get(bad)
        assert repr(bad) in str(info.value)
        assert "glorot_uniform" in str(info.value)


def test_initializer_that_requires_name_is_called_with_name_as_keras1_did():
    """The IRNN example (Keras 1.2.2 examples/mnist_irnn.py) passes callables that require
    ``name``; layers here call initializers with the shape only."""
    from keras_compat import backend as K
    from keras_compat.layers import Dense, SimpleRNN
    from keras_compat.models import Sequential

    seen = []

    def init(shape, name):
        seen.append(name)
        return inits.normal(shape, scale=0.001, name=name)

    rnn = SimpleRNN(5, init=init,
                    inner_init=lambda shape, name: inits.identity(shape, scale=1.0, name=name),
                    activation="relu", input_shape=(3, 2))
    model = Sequential([rnn, Dense(2, init=init)])
    np.testing.assert_array_equal(K.get_value(rnn.U), np.identity(5, dtype="float32"))
    assert np.abs(K.get_value(rnn.W)).max() < 0.01
    assert len(seen) == 2 and model.layers[1].get_config()["init"] == "init"


def test_initializers_accept_name_and_dim_ordering_and_keep_the_name():
    value = inits.glorot_uniform((3, 3, 2, 4), name="conv_1_W", dim_ordering="tf")
    assert value._keras_name == "conv_1_W" and tuple(value.shape) == (3, 3, 2, 4)
    assert inits.zero((2,), name="b")._keras_name == "b"


def test_keras1_custom_layer_keeps_initializer_results_as_named_trainable_weights():
    """The Keras-1 custom-layer idiom: ``self.W = self.init(shape, name=...)`` then
    ``self.trainable_weights = [self.W]``; Keras 1 named the variable ``<layer>_W``."""
    from keras_compat import backend as K
    from keras_compat.engine.layer import Layer
    from keras_compat.models import Sequential

    class Scale(Layer):
        def __init__(self, **kwargs):
            self.init = inits.get("one")
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.W = self.init((input_shape[1],), name="{}_W".format(self.name))
            self.trainable_weights = [self.W]

        def call(self, x, mask=None):
            return x * self.W

    layer = Scale(input_shape=(3,), name="scale")
    model = Sequential([layer])
    assert layer.keras1_weight_names() == ["scale_W"]
    K.set_value(layer.W, np.array([1.0, 2.0, 3.0], "float32"))
    np.testing.assert_array_equal(model.predict(np.ones((1, 3), "float32")), [[1.0, 2.0, 3.0]])
