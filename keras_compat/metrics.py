"""Keras-1 metrics (``keras.metrics``) over torch tensors.

Every metric is ``f(y_true, y_pred)`` and returns a 0-d tensor: a mean over the whole batch
(unweighted, unmasked). ``'accuracy'``/``'acc'`` is not a function but a choice made at compile
time from the loss and the output shape: :func:`resolve_accuracy`; it is always recorded as
``'acc'`` (:func:`metric_name`).
"""
import torch

from keras_compat import _registry
from keras_compat._registry import get_from_module as get_from_module  # Keras 1 exposed it here
from keras_compat import objectives
from keras_compat.backend import config

__all__ = ["binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
           "top_k_categorical_accuracy", "mean_squared_error", "mean_absolute_error",
           "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "hinge",
           "squared_hinge", "categorical_crossentropy", "sparse_categorical_crossentropy",
           "binary_crossentropy", "kullback_leibler_divergence", "poisson", "cosine_proximity",
           "matthews_correlation", "precision", "recall", "fbeta_score", "fmeasure",
           "mse", "mae", "mape", "msle", "cosine", "MSE", "MAE", "MAPE", "MSLE",
           "fscore", "f1score", "resolve_accuracy", "metric_name", "get", "serialize"]


def _floatx():
    return getattr(torch, config.floatx())


def _mean(t):
    """``K.mean`` without axis; booleans/integers are cast to floatx first."""
    if not t.is_floating_point():
        t = t.to(_floatx())
    return torch.mean(t)


def binary_accuracy(y_true, y_pred):
    """``mean(y_true == round(y_pred))`` (round half to even)."""
    return _mean(y_true == torch.round(y_pred))


def categorical_accuracy(y_true, y_pred):
    return _mean(torch.argmax(y_true, dim=-1) == torch.argmax(y_pred, dim=-1))


def sparse_categorical_accuracy(y_true, y_pred):
    """``mean(max(y_true, -1) == argmax(y_pred, -1))``; targets ``(..., 1)`` or flattened."""
    if y_true.dim() == y_pred.dim():
        y_true = torch.amax(y_true, dim=-1)
    else:
        y_true = y_true.reshape(y_pred.shape[:-1])
    return _mean(y_true == torch.argmax(y_pred, dim=-1).to(y_true.dtype))


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Whether the true class (``argmax(y_true)``) is among the top ``k`` predictions.

    Ties straddling the k-th place count as in the top k (``K.in_top_k``).
    """
    n_classes = y_pred.shape[-1]
    pred = y_pred.reshape(-1, n_classes)
    target = torch.argmax(y_true.reshape(-1, y_true.shape[-1]), dim=-1)
    if k < 1:
        return _mean(torch.zeros(pred.shape[0], dtype=torch.bool))
    if k >= n_classes:
        return _mean(torch.ones(pred.shape[0], dtype=torch.bool))
    kth = torch.topk(pred, k, dim=-1).values[:, -1]
    target_value = torch.gather(pred, 1, target.unsqueeze(1)).squeeze(1)
    return _mean(target_value >= kth)


# Loss-equivalent metrics: means over everything (K.mean without axis).

def mean_squared_error(y_true, y_pred):
    return torch.mean(torch.square(y_pred - y_true))


def mean_absolute_error(y_true, y_pred):
    return torch.mean(torch.abs(y_pred - y_true))


def mean_absolute_percentage_error(y_true, y_pred):
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=config.epsilon()))
    return 100.0 * torch.mean(diff)


def mean_squared_logarithmic_error(y_true, y_pred):
    eps = config.epsilon()
    first_log = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second_log = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.mean(torch.square(first_log - second_log))


def squared_hinge(y_true, y_pred):
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)))


def hinge(y_true, y_pred):
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0))


def categorical_crossentropy(y_true, y_pred):
    return torch.mean(objectives.categorical_crossentropy(y_true, y_pred))


def sparse_categorical_crossentropy(y_true, y_pred):
    return torch.mean(objectives.sparse_categorical_crossentropy(y_true, y_pred))


def binary_crossentropy(y_true, y_pred):
    return torch.mean(objectives.binary_crossentropy(y_true, y_pred))


def kullback_leibler_divergence(y_true, y_pred):
    """Mean over the batch of the per-sample KL divergence."""
    return torch.mean(objectives.kullback_leibler_divergence(y_true, y_pred))


def poisson(y_true, y_pred):
    return torch.mean(y_pred - y_true * torch.log(y_pred + config.epsilon()))


def cosine_proximity(y_true, y_pred):
    return -torch.mean(objectives._l2_normalize(y_true) * objectives._l2_normalize(y_pred))


# Batch-wise binary classification statistics (Keras 1.2.2; not global over the epoch).

def _round01(t):
    return torch.round(torch.clamp(t, 0, 1))


def matthews_correlation(y_true, y_pred):
    y_pred_pos = _round01(y_pred)
    y_pred_neg = 1 - y_pred_pos
    y_pos = _round01(y_true)
    y_neg = 1 - y_pos
    tp = torch.sum(y_pos * y_pred_pos)
    tn = torch.sum(y_neg * y_pred_neg)
    fp = torch.sum(y_neg * y_pred_pos)
    fn = torch.sum(y_pos * y_pred_neg)
    numerator = tp * tn - fp * fn
    denominator = torch.sqrt(torch.clamp((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn), min=0))
    return numerator / (denominator + config.epsilon())


def precision(y_true, y_pred):
    true_positives = torch.sum(_round01(y_true * y_pred))
    predicted_positives = torch.sum(_round01(y_pred))
    return true_positives / (predicted_positives + config.epsilon())


def recall(y_true, y_pred):
    true_positives = torch.sum(_round01(y_true * y_pred))
    possible_positives = torch.sum(_round01(y_true))
    return true_positives / (possible_positives + config.epsilon())


def fbeta_score(y_true, y_pred, beta=1):
    """``(1 + b^2) p r / (b^2 p + r + eps)``; 0 when the batch has no positive targets."""
    if beta < 0:
        raise ValueError("The lowest choosable beta is zero (only precision).")
    if torch.sum(_round01(y_true)) == 0:
        return torch.zeros((), dtype=y_pred.dtype if y_pred.is_floating_point() else _floatx())
    p = precision(y_true, y_pred)
    r = recall(y_true, y_pred)
    bb = beta ** 2
    return (1 + bb) * (p * r) / (bb * p + r + config.epsilon())


def fmeasure(y_true, y_pred):
    return fbeta_score(y_true, y_pred, beta=1)


# Aliases (Keras 1.2.2 metrics has no 'kld').
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
cosine = cosine_proximity
fscore = f1score = fmeasure

_METRICS = {fn.__name__: fn for fn in (
    binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, mean_squared_error, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_logarithmic_error, squared_hinge, hinge,
    categorical_crossentropy, sparse_categorical_crossentropy, binary_crossentropy,
    kullback_leibler_divergence, poisson, cosine_proximity, matthews_correlation, precision,
    recall, fbeta_score, fmeasure)}
_METRICS.update(mse=mse, mae=mae, mape=mape, msle=msle, cosine=cosine, MSE=MSE, MAE=MAE,
                MAPE=MAPE, MSLE=MSLE, fscore=fscore, f1score=f1score)

_ACCURACY_NAMES = ("accuracy", "acc")

METRICS = _registry.Vocabulary("metric", _METRICS,
                               hint="'accuracy'/'acc' are also accepted by compile()")


def resolve_accuracy(loss_fn, output_shape):
    """Keras-1 choice for ``'accuracy'``/``'acc'``, made in Keras 1.2.2's ``compile`` from the
    output shape and the loss.

    Last output dim 1, or the loss is ``objectives.binary_crossentropy`` -> binary_accuracy;
    the loss is ``objectives.sparse_categorical_crossentropy`` -> sparse_categorical_accuracy;
    otherwise categorical_accuracy. Loss names are resolved first; otherwise the comparison is
    by function identity, so a custom loss gets categorical accuracy unless the dim is 1.
    """
    if isinstance(loss_fn, str):
        loss_fn = objectives.get(loss_fn)
    if output_shape is not None and len(output_shape) and output_shape[-1] == 1:
        return binary_accuracy
    if loss_fn is objectives.binary_crossentropy:
        return binary_accuracy
    if loss_fn is objectives.sparse_categorical_crossentropy:
        return sparse_categorical_accuracy
    return categorical_accuracy


def get(identifier):
    """A metric name (or alias) -> its function; a callable -> itself.

    ``'accuracy'``/``'acc'`` depend on the loss and output shape: use :func:`resolve_accuracy`.
    """
    if isinstance(identifier, str) and identifier in _ACCURACY_NAMES:
        raise ValueError("The metric %r depends on the loss and the output shape; resolve "
                         "it with metrics.resolve_accuracy(loss_fn, output_shape)."
                         % (identifier,))
    return METRICS.get(identifier)


def metric_name(identifier):
    """The name Keras 1 records: ``'acc'`` for accuracy/acc, otherwise ``fn.__name__``
    (``'mse'`` -> ``'mean_squared_error'``, a lambda -> ``'<lambda>'``)."""
    if isinstance(identifier, str):
        if identifier in _ACCURACY_NAMES:
            return "acc"
        return get(identifier).__name__
    return _registry.name_of(identifier)


def serialize(metric):
    return metric_name(metric)
