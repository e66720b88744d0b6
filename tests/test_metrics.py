
import numpy as np
import pytest
import torch

from keras_compat import metrics as M
from keras_compat import objectives as O
from keras_compat.backend import config

EPS = 1e-7


def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def _scalar(t):
    assert isinstance(t, torch.Tensor) and t.dim() == 0
    return float(t)


def test_binary_accuracy_rounds_half_to_even():
    y_true = _t(np.array([[0.0], [0.0], [1.0], [1.0], [1.0]], np.float32))
    y_pred = _t(np.array([[0.5], [0.49], [0.51], [1.5], [0.5]], np.float32))
    # 0.5 -> 0 (match, match, match, 1.5 -> 2 mismatch, 0.5 -> 0 mismatch)
    assert _scalar(M.binary_accuracy(y_true, y_pred)) == pytest.approx(3 / 5)


def test_categorical_and_sparse_accuracy():
    y_pred = _t(np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.3, 0.3, 0.4]],
                         np.float32))
    labels = np.array([1, 2, 2, 0])
    onehot = np.eye(3, dtype=np.float32)[labels]
    assert _scalar(M.categorical_accuracy(_t(onehot), y_pred)) == pytest.approx(0.5)
    assert _scalar(M.sparse_categorical_accuracy(_t(labels.reshape(4, 1).astype(np.float32)),
                                                 y_pred)) == pytest.approx(0.5)
    assert _scalar(M.sparse_categorical_accuracy(_t(labels), y_pred)) == pytest.approx(0.5)
    # 3-D (temporal) outputs
    y3 = y_pred.reshape(2, 2, 3)
    assert _scalar(M.categorical_accuracy(_t(onehot.reshape(2, 2, 3)), y3)) == pytest.approx(0.5)
    assert _scalar(M.sparse_categorical_accuracy(_t(labels.reshape(2, 2, 1)), y3)) == \
        pytest.approx(0.5)


def test_top_k_categorical_accuracy():
    y_pred = _t(np.array([[0.1, 0.4, 0.3, 0.2], [0.4, 0.3, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25]],
                         np.float32))
    onehot = _t(np.eye(4, dtype=np.float32)[[3, 3, 2]])
    assert _scalar(M.top_k_categorical_accuracy(onehot, y_pred, k=1)) == pytest.approx(1 / 3)
    assert _scalar(M.top_k_categorical_accuracy(onehot, y_pred, k=3)) == pytest.approx(2 / 3)
    assert _scalar(M.top_k_categorical_accuracy(onehot, y_pred)) == pytest.approx(1.0)  # k=5
    assert _scalar(M.top_k_categorical_accuracy(onehot, y_pred, k=2)) == pytest.approx(1 / 3)


def test_loss_equivalents_are_means_over_everything():
    rs = np.random.RandomState(0)
    t = rs.uniform(0.01, 1, (5, 3)).astype(np.float32)
    p = rs.uniform(0.01, 1, (5, 3)).astype(np.float32)
    T, P = t.astype(np.float64), p.astype(np.float64)
    checks = {
        "mse": ((P - T) ** 2).mean(),
        "mae": np.abs(P - T).mean(),
        "mape": 100 * np.abs((T - P) / T).mean(),
        "msle": ((np.log(P + 1) - np.log(T + 1)) ** 2).mean(),
        "hinge": np.maximum(1 - T * P, 0).mean(),
        "squared_hinge": (np.maximum(1 - T * P, 0) ** 2).mean(),
        "poisson": (P - T * np.log(P + EPS)).mean(),
        "cosine": -((T / np.linalg.norm(T, axis=-1, keepdims=True))
                    * (P / np.linalg.norm(P, axis=-1, keepdims=True))).mean(),
        "kullback_leibler_divergence": (T * np.log(T / P)).sum(-1).mean(),
    }
    for name, expected in checks.items():
        assert _scalar(M.get(name)(_t(t), _t(p))) == pytest.approx(expected, rel=2e-5), name
    for name in ("categorical_crossentropy", "binary_crossentropy"):
        expected = float(O.get(name)(_t(t), _t(p)).mean())
        assert _scalar(M.get(name)(_t(t), _t(p))) == pytest.approx(expected, rel=1e-6)
    labels = np.array([0, 2, 1, 1, 0])
    assert _scalar(M.sparse_categorical_crossentropy(_t(labels), _t(p))) == pytest.approx(
        float(O.sparse_categorical_crossentropy(_t(labels), _t(p)).mean()), rel=1e-6)


def _np_counts(t, p):
    pp = np.round(np.clip(p, 0, 1))
    tp_ = np.round(np.clip(t, 0, 1))
    tp = (tp_ * pp).sum()
    tn = ((1 - tp_) * (1 - pp)).sum()
    fp = ((1 - tp_) * pp).sum()
    fn = (tp_ * (1 - pp)).sum()
    return tp, tn, fp, fn


def test_precision_recall_fbeta_matthews():
    rs = np.random.RandomState(3)
    t = (rs.uniform(size=(20, 2)) > 0.5).astype(np.float32)
    p = rs.uniform(size=(20, 2)).astype(np.float32)
    T, P = t.astype(np.float64), p.astype(np.float64)
    tp = np.round(np.clip(T * P, 0, 1)).sum()
    prec = tp / (np.round(np.clip(P, 0, 1)).sum() + EPS)
    rec = tp / (np.round(np.clip(T, 0, 1)).sum() + EPS)
    assert _scalar(M.precision(_t(t), _t(p))) == pytest.approx(prec, rel=1e-5)
    assert _scalar(M.recall(_t(t), _t(p))) == pytest.approx(rec, rel=1e-5)
    for beta in (0, 0.5, 1, 2):
        bb = beta ** 2
        expected = (1 + bb) * prec * rec / (bb * prec + rec + EPS)
        assert _scalar(M.fbeta_score(_t(t), _t(p), beta=beta)) == pytest.approx(expected, rel=1e-5)
    assert _scalar(M.fmeasure(_t(t), _t(p))) == pytest.approx(
        2 * prec * rec / (prec + rec + EPS), rel=1e-5)
    assert M.fscore is M.f1score is M.fmeasure
    a, b, c, d = _np_counts(T, P)
    mcc = (a * b - c * d) / (np.sqrt((a + c) * (a + d) * (b + c) * (b + d)) + EPS)
    assert _scalar(M.matthews_correlation(_t(t), _t(p))) == pytest.approx(mcc, rel=1e-5)
    # no positives in the batch -> 0
    assert _scalar(M.fbeta_score(torch.zeros(4, 1), torch.ones(4, 1))) == 0.0
    with pytest.raises(ValueError, match="beta"):
        M.fbeta_score(_t(t), _t(p), beta=-1)


def test_resolve_accuracy():
    ra = M.resolve_accuracy
    assert ra(O.categorical_crossentropy, (None, 10)) is M.categorical_accuracy
    assert ra("categorical_crossentropy", (None, 10)) is M.categorical_accuracy
    assert ra(O.binary_crossentropy, (None, 10)) is M.binary_accuracy
    assert ra("binary_crossentropy", (None, 3)) is M.binary_accuracy
    assert ra(O.mse, (None, 1)) is M.binary_accuracy
    assert ra("mse", (None, 4)) is M.categorical_accuracy
    assert ra(O.sparse_categorical_crossentropy, (None, 10)) is M.sparse_categorical_accuracy
    assert ra("sparse_categorical_crossentropy", (None, 1)) is M.binary_accuracy
    custom_bce = lambda t, p: O.binary_crossentropy(t, p)  # noqa: E731
    assert ra(custom_bce, (None, 5)) is M.categorical_accuracy  # identity comparison
    assert ra(custom_bce, (None, 5, 1)) is M.binary_accuracy


def test_metric_name_and_get():
    assert M.metric_name("accuracy") == "acc"
    assert M.metric_name("acc") == "acc"
    assert M.metric_name("mse") == "mean_squared_error"
    assert M.metric_name("fscore") == "fmeasure"
    assert M.metric_name(M.top_k_categorical_accuracy) == "top_k_categorical_accuracy"
    assert M.metric_name(lambda t, p: t) == "<lambda>"
    assert M.get("mae") is M.mean_absolute_error
    assert M.get("cosine") is M.cosine_proximity
    custom = lambda t, p: t  # noqa: E731
    assert M.get(custom) is custom
    with pytest.raises(ValueError, match="resolve_accuracy"):
        M.get("accuracy")
    for bad in ("nope", "kld"):  # Keras 1.2.2 metrics has no 'kld' alias
        with pytest.raises(ValueError) as info:
            M.get(bad)
        assert repr(bad) in str(info.value) and "binary_accuracy" in str(info.value)


ORACLE_CASES = [
    ("train_mlp_bce_adam", "binary_crossentropy"),
    ("train_mlp_cce_adam", "categorical_crossentropy"),
    ("train_mlp_scce_rmsprop", "sparse_categorical_crossentropy"),
    ("train_mlp_mse_sgd", "mse"),
]


@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("case,loss", ORACLE_CASES)
def test_oracle_evaluate_loss_and_acc(case, loss, backend, oracle):
    """Keras 1.2.2 (Theano) evaluate() = [mean loss, acc] of the stored predictions."""
    recorded = oracle(case)
    inp, out = recorded.inputs, recorded
    old = config.backend()
    config.set_backend(backend)
    try:
        y_true = _t(inp["y_true"].astype(np.float32))
        loss_fn = O.get(loss)
        for pred_key, eval_key in (("y_before", "evaluate_before"), ("y_after", "evaluate_after")):
            y_pred = _t(out[pred_key])
            expected_loss, expected_acc = out[eval_key]
            assert float(loss_fn(y_true, y_pred).mean()) == pytest.approx(expected_loss, abs=5e-7)
            acc = M.resolve_accuracy(loss_fn, tuple(y_pred.shape))(y_true, y_pred)
            assert _scalar(acc) == pytest.approx(expected_acc, abs=1e-7)
    finally:
        config.set_backend(old)
