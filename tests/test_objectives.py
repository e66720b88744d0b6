import numpy as np
import pytest
import torch

from keras_compat import objectives as O
from keras_compat.backend import config

EPS = 1e-7
F32_ONE_MINUS_EPS = float(np.float32(1.0) - np.float32(EPS))


@pytest.fixture(params=["tensorflow", "theano"])
def backend(request):
    old = config.backend()
    config.set_backend(request.param)
    yield request.param
    config.set_backend(old)


def _data(shape=(6, 4), seed=0, positive=False):
    rs = np.random.RandomState(seed)
    y_true = rs.uniform(0 if positive else -1, 1, shape).astype(np.float32)
    y_pred = rs.uniform(0.01 if positive else -1, 1, shape).astype(np.float32)
    return y_true, y_pred


def _probs(shape=(6, 4), seed=1):
    rs = np.random.RandomState(seed)
    p = rs.uniform(0.05, 1, shape).astype(np.float32)
    p /= p.sum(-1, keepdims=True)
    labels = rs.randint(0, shape[-1], size=shape[:-1])
    onehot = np.eye(shape[-1], dtype=np.float32)[labels]
    return onehot, p, labels


def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def _l2n(x):
    return x / np.sqrt((x ** 2).sum(-1, keepdims=True))


NUMPY = {
    "mean_squared_error": lambda t, p: ((p - t) ** 2).mean(-1),
    "mean_absolute_error": lambda t, p: np.abs(p - t).mean(-1),
    "mean_absolute_percentage_error":
        lambda t, p: 100 * np.abs((t - p) / np.clip(np.abs(t), EPS, None)).mean(-1),
    "mean_squared_logarithmic_error":
        lambda t, p: ((np.log(np.clip(p, EPS, None) + 1) - np.log(np.clip(t, EPS, None) + 1)) ** 2
                      ).mean(-1),
    "squared_hinge": lambda t, p: (np.maximum(1 - t * p, 0) ** 2).mean(-1),
    "hinge": lambda t, p: np.maximum(1 - t * p, 0).mean(-1),
    "kullback_leibler_divergence":
        lambda t, p: (np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1),
    "poisson": lambda t, p: (p - t * np.log(p + EPS)).mean(-1),
    "cosine_proximity": lambda t, p: -(_l2n(t) * _l2n(p)).mean(-1),
}


def _np_cce(t, p):
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -(t * np.log(p)).sum(-1)


def _np_bce(t, p):
    # the float32 clip bounds Keras used (1 - 1e-7 rounds to 0.99999988 in float32)
    p = np.clip(p, float(np.float32(EPS)), F32_ONE_MINUS_EPS)
    return (-(t * np.log(p) + (1 - t) * np.log(1 - p))).mean(-1)


@pytest.mark.parametrize("name", sorted(NUMPY))
@pytest.mark.parametrize("shape", [(6, 4), (3, 5, 4)])
def test_regression_losses_match_numpy(name, shape, backend):
    positive = name in ("kullback_leibler_divergence", "poisson",
                        "mean_squared_logarithmic_error")
    t, p = _data(shape, positive=positive)
    got = O.get(name)(_t(t), _t(p))
    assert tuple(got.shape) == shape[:-1]
    np.testing.assert_allclose(got.numpy(), NUMPY[name](t.astype(np.float64), p.astype(np.float64)),
                               rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("shape", [(6, 4), (3, 5, 4)])
def test_categorical_crossentropy_renormalises_and_sums(shape, backend):
    t, p, _ = _probs(shape)
    unnormalised = p * 3.0
    got = O.categorical_crossentropy(_t(t), _t(unnormalised))
    assert tuple(got.shape) == shape[:-1]
    np.testing.assert_allclose(got.numpy(), _np_cce(t.astype(np.float64), p.astype(np.float64)),
                               rtol=1e-5)
    soft = np.full(shape, 1.0 / shape[-1], np.float32)
    np.testing.assert_allclose(O.categorical_crossentropy(_t(soft), _t(p)).numpy(),
                               _np_cce(soft.astype(np.float64), p.astype(np.float64)), rtol=1e-5)


def test_perfect_prediction_costs_float32_epsilon(backend):
    onehot = torch.eye(3)
    expected = np.float32(-np.log(np.float32(F32_ONE_MINUS_EPS)))
    cce = O.categorical_crossentropy(onehot, onehot)
    assert cce.dtype == torch.float32
    np.testing.assert_allclose(cce.numpy(), [1.1920929e-07] * 3, rtol=1e-6)
    np.testing.assert_allclose(cce.numpy(), [expected] * 3, rtol=1e-6)
    bce = O.binary_crossentropy(onehot, onehot)
    if backend == "theano":  # -log(1 - p) with p = float32(1 - 1e-7) for every entry
        np.testing.assert_allclose(bce.numpy(), [1.1920929e-07] * 3, rtol=1e-5)
    else:  # TF: log1p(exp(-|logit|)): 1.19e-7 for the 1-entry, 1e-7 for the 0-entries
        np.testing.assert_allclose(bce.numpy(), [(1.1920929e-07 + 2e-7) / 3] * 3, rtol=1e-5)
    assert "%.4e" % float(cce.mean()) == "1.1921e-07"


@pytest.mark.parametrize("shape", [(6, 4), (3, 5, 2)])
def test_binary_crossentropy_means_over_last_axis(shape, backend):
    rs = np.random.RandomState(2)
    t = (rs.uniform(size=shape) > 0.5).astype(np.float32)
    p = rs.uniform(0, 1, shape).astype(np.float32)
    p[0, 0] = 0.0
    p.flat[-1] = 1.0
    got = O.binary_crossentropy(_t(t), _t(p))
    assert tuple(got.shape) == shape[:-1]
    np.testing.assert_allclose(got.numpy(), _np_bce(t.astype(np.float64), p.astype(np.float64)),
                               rtol=1e-4, atol=1e-6)


def test_sparse_categorical_crossentropy(backend):
    t, p, labels = _probs((6, 4))
    expected = _np_cce(t.astype(np.float64), p.astype(np.float64))
    for targets in (labels.reshape(6, 1).astype(np.float32), labels, labels.astype(np.int32)):
        got = O.sparse_categorical_crossentropy(_t(targets), _t(p))
        assert tuple(got.shape) == (6,)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)
    t3, p3, labels3 = _probs((2, 5, 4), seed=3)
    got = O.sparse_categorical_crossentropy(_t(labels3.reshape(2, 5, 1)), _t(p3))
    assert tuple(got.shape) == (2, 5)
    np.testing.assert_allclose(got.numpy(), _np_cce(t3.astype(np.float64), p3.astype(np.float64)),
                               rtol=1e-5)


def test_crossentropies_backprop():
    t, p, labels = _probs((5, 3))
    logits = torch.randn(5, 3, requires_grad=True)
    probs = torch.softmax(logits, -1)
    loss = (O.categorical_crossentropy(_t(t), probs).mean()
            + O.sparse_categorical_crossentropy(_t(labels), probs).mean()
            + O.binary_crossentropy(_t(t), torch.sigmoid(logits)).mean())
    loss.backward()
    assert torch.isfinite(logits.grad).all()


def test_aliases_and_get():
    assert O.mse is O.MSE is O.mean_squared_error
    assert O.mae is O.mean_absolute_error and O.mape is O.mean_absolute_percentage_error
    assert O.msle is O.mean_squared_logarithmic_error
    assert O.kld is O.KLD is O.kullback_leibler_divergence
    assert O.cosine is O.cosine_proximity
    for alias, fn in (("mse", O.mean_squared_error), ("kld", O.kullback_leibler_divergence),
                      ("cosine", O.cosine_proximity), ("binary_crossentropy", O.binary_crossentropy)):
        assert O.get(alias) is fn
    assert O.serialize(O.get("mse")) == "mean_squared_error"
    custom = lambda t, p: (t - p).abs().sum(-1)  # noqa: E731
    assert O.get(custom) is custom
    for bad in ("nope", "categorical_hinge", "logcosh"):
        with pytest.raises(ValueError) as info:
            O.get(bad)
        assert repr(bad) in str(info.value) and "categorical_crossentropy" in str(info.value)
