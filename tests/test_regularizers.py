import numpy as np
import pytest
import torch

from keras_compat import regularizers as R


def _w(seed=0, shape=(5, 4)):
    return torch.from_numpy(np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32))


def test_l1l2_formula_no_half_factor():
    w = _w()
    x = w.numpy().astype(np.float64)
    reg = R.WeightRegularizer(l1=0.3, l2=0.02)
    got = reg(w)
    assert got.dim() == 0
    np.testing.assert_allclose(float(got), 0.3 * np.abs(x).sum() + 0.02 * (x ** 2).sum(),
                               rtol=1e-5)
    np.testing.assert_allclose(float(R.l1(0.1)(w)), 0.1 * np.abs(x).sum(), rtol=1e-5)
    np.testing.assert_allclose(float(R.l2(0.1)(w)), 0.1 * (x ** 2).sum(), rtol=1e-5)
    np.testing.assert_allclose(float(R.l1l2()(w)),
                               0.01 * np.abs(x).sum() + 0.01 * (x ** 2).sum(), rtol=1e-5)


def test_activity_regularizer_sums_over_whole_batch():
    out = _w(1, (8, 3))
    small = R.activity_l2(0.5)(out[:4])
    full = R.ActivityRegularizer(l2=0.5)(out)
    expected = 0.5 * (out.numpy().astype(np.float64) ** 2).sum()
    np.testing.assert_allclose(float(full), expected, rtol=1e-5)
    assert float(full) > float(small)
    np.testing.assert_allclose(float(R.activity_l1(0.2)(out)),
                               0.2 * np.abs(out.numpy()).sum(), rtol=1e-5)
    assert float(R.activity_l1l2(0.0, 0.0)(out)) == 0.0


def test_zero_regularizer_and_gradient():
    w = _w().requires_grad_(True)
    assert float(R.L1L2Regularizer()(w)) == 0.0
    R.l2(0.5)(w).backward()
    np.testing.assert_allclose(w.grad.numpy(), (2 * 0.5 * w).detach().numpy(), rtol=1e-6)


def test_aliases_are_one_class_and_config():
    assert R.WeightRegularizer is R.L1L2Regularizer is R.ActivityRegularizer
    cfg = R.l2(0.01).get_config()
    # Keras 1.2.2 stores the factors as float32 (K.cast_to_floatx) and records the class name.
    assert cfg == {"name": "L1L2Regularizer", "l1": 0.0, "l2": float(np.float32(0.01))}
    assert R.l1l2(0.5, 0.25).get_config() == {"name": "L1L2Regularizer", "l1": 0.5, "l2": 0.25}
    assert R.serialize(None) is None
    assert R.serialize(R.l1(0.5)) == {"name": "L1L2Regularizer", "l1": 0.5, "l2": 0.0}


def test_get():
    assert R.get(None) is None
    reg = R.l1(0.5)
    assert R.get(reg) is reg
    by_name = R.get("l2")
    assert isinstance(by_name, R.L1L2Regularizer) and by_name.get_config()["l2"] == pytest.approx(0.01)
    assert R.get("l1", {"l": 0.5}).get_config()["l1"] == 0.5
    for cfg in ({"name": "L1L2Regularizer", "l1": 0.5, "l2": 0.25},
                {"name": "WeightRegularizer", "l1": 0.5, "l2": 0.25},
                {"class_name": "L1L2", "config": {"l1": 0.5, "l2": 0.25}}):
        got = R.get(cfg)
        assert got.get_config() == {"name": "L1L2Regularizer", "l1": 0.5, "l2": 0.25}
    assert R.get("l1_l2").get_config()["l1"] == pytest.approx(0.01)
    original = {"name": "L1L2Regularizer", "l1": 0.5, "l2": 0.0}
    R.get(original)
    assert original == {"name": "L1L2Regularizer", "l1": 0.5, "l2": 0.0}  # not mutated
    with pytest.raises(ValueError) as info:
        R.get("nope")
    assert "'nope'" in str(info.value) and "l1l2" in str(info.value)
    with pytest.raises(ValueError, match="'Bogus'"):
        R.get({"name": "Bogus"})


def test_eigenvalue_regularizer():
    w = _w(3, (6, 4))
    x = w.numpy().astype(np.float64)
    got = R.EigenvalueRegularizer(0.1)(w)
    top = np.linalg.eigvalsh(x.T @ x).max()
    # 9 power iterations from ones: close to the true dominant eigenvalue.
    np.testing.assert_allclose(float(got), 0.1 * np.sqrt(top), rtol=1e-3)
    cov = x.T @ x
    v = cov @ np.ones((4, 1))
    for _ in range(8):
        v = cov @ v
    rq = ((cov @ v).T @ v / (v.T @ v)).item()
    np.testing.assert_allclose(float(got), 0.1 * np.sqrt(rq), rtol=1e-5)
    with pytest.raises(ValueError, match="rank 2"):
        R.EigenvalueRegularizer(0.1)(torch.ones(2, 2, 2))
    assert R.get(R.EigenvalueRegularizer(0.3).get_config()).k == 0.3


def test_base_regularizer():
    assert R.Regularizer()(torch.ones(3)) == 0
    assert R.Regularizer().get_config() == {"name": "Regularizer"}
    with pytest.warns(UserWarning):
        R.Regularizer().set_param(None)
