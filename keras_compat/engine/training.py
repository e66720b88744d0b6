"""``keras.engine.training`` (Keras 1.2.2 public module path): ``Model``, and ``slice_X``, the
array helper that scripts imported from here (addition_rnn.py)."""
from keras_compat.models.model import Model as Model

__all__ = ["Model", "slice_X"]


def slice_X(X, start=None, stop=None):
    """Rows of an array, or of each array in a list: ``X[start:stop]``, or ``X[indices]`` when
    ``start`` is a sequence/array of indices (then ``stop`` is ignored), as Keras 1.

    addition_rnn.py uses it to split off a validation set:
    ``slice_X(X, 0, split_at)``, ``slice_X(X, split_at)``.
    """
    if hasattr(start, "__len__"):
        index = start.tolist() if hasattr(start, "tolist") else list(start)
        pick = lambda array: array[index]  # noqa: E731
    else:
        pick = lambda array: array[start:stop]  # noqa: E731
    if isinstance(X, list):
        return [pick(x) for x in X]
    return pick(X)
