import numpy as np
import pytest
import torch

from keras_compat import constraints as C

EPS = 1e-7


def _w(seed=0, shape=(5, 4), scale=3.0):
    return torch.from_numpy(
        np.random.RandomState(seed).uniform(-scale, scale, shape).astype(np.float32))


def _norms(x, axis):
    return np.sqrt((x ** 2).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("axis", [0, 1, [1, 2, 3]])
def test_maxnorm(axis):
    shape = (5, 4) if axis in (0, 1) else (4, 3, 2, 2)
    w = _w(shape=shape)
    x = w.numpy().astype(np.float64)
    n = _norms(x, tuple(axis) if isinstance(axis, list) else axis)
    expected = x * np.clip(n, 0, 2.0) / (EPS + n)
    got = C.MaxNorm(m=2, axis=axis)(w)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)
    gn = _norms(got.numpy().astype(np.float64), tuple(axis) if isinstance(axis, list) else axis)
    assert gn.max() <= 2.0 + 1e-5
    assert not torch.equal(got, w)  # original is left alone (returned a new tensor)


def test_maxnorm_axis0_is_dense_input_axis():
    # Dense W is (input_dim, output_dim): axis=0 constrains each output unit's incoming weights.
    w = torch.zeros(3, 2)
    w[:, 0] = torch.tensor([3.0, 4.0, 0.0])  # column norm 5
    w[:, 1] = torch.tensor([0.3, 0.4, 0.0])  # column norm 0.5
    got = C.maxnorm(2)(w).numpy()
    np.testing.assert_allclose(got[:, 0], [1.2, 1.6, 0.0], rtol=1e-6)
    np.testing.assert_allclose(got[:, 1], [0.3, 0.4, 0.0], rtol=1e-6)


def test_unitnorm_nonneg_minmax():
    w = _w(1)
    x = w.numpy().astype(np.float64)
    np.testing.assert_allclose(C.UnitNorm()(w).numpy(), x / (EPS + _norms(x, 0)), rtol=1e-5)
    np.testing.assert_allclose(C.unitnorm(axis=1)(w).numpy(), x / (EPS + _norms(x, 1)),
                               rtol=1e-5)
    np.testing.assert_array_equal(C.NonNeg()(w).numpy(), np.where(x >= 0, x, 0).astype(np.float32))
    assert C.nonneg is C.NonNeg
    for low, high, rate in ((0.5, 1.5, 1.0), (0.0, 1.0, 0.3), (4.0, 6.0, 0.5)):
        n = _norms(x, 0)
        desired = rate * np.clip(n, low, high) + (1 - rate) * n
        np.testing.assert_allclose(C.MinMaxNorm(low, high, rate)(w).numpy(),
                                   x * desired / (EPS + n), rtol=1e-5)


def test_configs_and_get():
    assert C.MaxNorm().get_config() == {"name": "MaxNorm", "m": 2, "axis": 0}
    assert C.NonNeg().get_config() == {"name": "NonNeg"}
    assert C.UnitNorm(axis=1).get_config() == {"name": "UnitNorm", "axis": 1}
    assert C.MinMaxNorm().get_config() == {"name": "MinMaxNorm", "low": 0.0, "high": 1.0,
                                           "rate": 1.0, "axis": 0}
    assert C.get(None) is None
    c = C.MaxNorm(3)
    assert C.get(c) is c
    assert isinstance(C.get("maxnorm"), C.MaxNorm)
    assert isinstance(C.get("nonneg"), C.NonNeg)
    assert C.get("maxnorm", {"m": 4}).m == 4
    back = C.get({"name": "MaxNorm", "m": 3, "axis": [0, 1]})
    assert back.get_config() == {"name": "MaxNorm", "m": 3, "axis": [0, 1]}
    assert C.get({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}}).m == 3
    assert C.get("max_norm").get_config()["m"] == 2
    assert C.serialize(C.UnitNorm()) == {"name": "UnitNorm", "axis": 0}
    assert C.serialize(None) is None
    with pytest.raises(ValueError) as info:
        C.get("nope")
    assert "'nope'" in str(info.value) and "maxnorm" in str(info.value)


def test_base_constraint_identity():
    w = _w()
    assert C.Constraint()(w) is w
