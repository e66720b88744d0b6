
import numpy as np
import pytest
import torch

from keras_compat import activations


def _np_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


NUMPY_REF = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "hard_sigmoid": lambda x: np.clip(0.2 * x + 0.5, 0, 1),
    "tanh": np.tanh,
    "softmax": _np_softmax,
    "softplus": lambda x: np.log1p(np.exp(x)),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
}

# Order of y_0..y_8 in the oracle's `activations` case (see ../shared/oracle/ref/README.md).
ORACLE_ORDER = ["linear", "relu", "sigmoid", "hard_sigmoid", "tanh", "softmax", "softplus",
                "softsign", "elu"]


def test_oracle_keras122_theano_activations(oracle):
    inp = oracle("activations").inputs
    out = oracle("activations")
    dense = inp["x_0"].astype(np.float32) @ inp["w_00"] + inp["w_01"]
    z = torch.from_numpy(dense.astype(np.float32))
    for i, name in enumerate(ORACLE_ORDER):
        got = activations.get(name)(z)
        assert got.dtype == torch.float32
        np.testing.assert_allclose(got.numpy(), out["y_%d" % i], atol=1e-5, err_msg=name)


@pytest.mark.parametrize("name", sorted(NUMPY_REF))
def test_matches_numpy(name):
    x = np.random.RandomState(0).uniform(-6, 6, size=(4, 7)).astype(np.float32)
    got = getattr(activations, name)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, NUMPY_REF[name](x.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_hard_sigmoid_breakpoints():
    x = torch.tensor([-3.0, -2.5, -1.0, 0.0, 1.0, 2.5, 3.0])
    np.testing.assert_allclose(activations.hard_sigmoid(x).numpy(),
                               [0, 0, 0.3, 0.5, 0.7, 1, 1], atol=1e-7)


def test_relu_alpha_and_max_value():
    x = torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0, 10.0])
    np.testing.assert_allclose(activations.relu(x, alpha=0.1, max_value=2.5).numpy(),
                               [-0.2, -0.05, 0, 1, 2.5, 2.5], atol=1e-7)
    np.testing.assert_allclose(activations.relu(x).numpy(), [0, 0, 0, 1, 3, 10])


def test_elu_alpha():
    x = torch.tensor([-1.0, 2.0])
    np.testing.assert_allclose(activations.elu(x, alpha=0.5).numpy(),
                               [0.5 * np.expm1(-1.0), 2.0], rtol=1e-6)


def test_softmax_3d_over_last_axis_and_rank_errors():
    x = torch.randn(2, 3, 4)
    got = activations.softmax(x)
    np.testing.assert_allclose(got.numpy(), _np_softmax(x.numpy().astype(np.float64)),
                               rtol=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match="ndim=4"):
        activations.softmax(torch.zeros(1, 2, 3, 4))
    with pytest.raises(ValueError, match="ndim=1"):
        activations.softmax(torch.zeros(3))


def test_get_and_serialize():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    custom = lambda x: x * 2  # noqa: E731
    assert activations.get(custom) is custom
    for name in ORACLE_ORDER:
        assert activations.serialize(activations.get(name)) == name
    assert activations.serialize(None) == "linear"


@pytest.mark.parametrize("bad", ["nope", "selu", "swish", "Relu"])
def test_get_unknown_names_it(bad):
    with pytest.raises(ValueError) as info:
        activations.get(bad)
    message = str(info.value)
    assert message.startswith("Invalid activation function: %r. Valid: " % bad)
    assert "hard_sigmoid" in message and "softmax" in message


def test_gradients_flow():
    x = torch.randn(3, 4, requires_grad=True)
    for name in ORACLE_ORDER:
        activations.get(name)(x).sum().backward()
    assert x.grad is not None
