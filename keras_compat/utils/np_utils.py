"""``keras.utils.np_utils``: NumPy helpers legacy scripts import."""
import numpy as np

from keras_compat.backend import config
from keras_compat.backend.convolution import conv_input_length as conv_input_length
from keras_compat.backend.convolution import conv_output_length as conv_output_length


def to_categorical(y, nb_classes=None):
    """Class vector (integers 0..nb_classes-1) to a binary class matrix (float64, as Keras 1)."""
    y = np.array(y, dtype="int").ravel()
    if y.size and y.min() < 0:
        raise ValueError("to_categorical: class indices must be >= 0, got %d" % y.min())
    if not nb_classes:
        nb_classes = int(np.max(y)) + 1 if y.size else 0
    if y.size and y.max() >= nb_classes:
        raise ValueError("to_categorical: class index %d does not fit nb_classes=%d"
                         % (y.max(), nb_classes))
    categorical = np.zeros((len(y), nb_classes))
    categorical[np.arange(len(y)), y] = 1.
    return categorical


def normalize(a, axis=-1, order=2):
    """Divide by the L-``order`` norm along ``axis`` (zero norms left as 1)."""
    norms = np.atleast_1d(np.linalg.norm(a, order, axis))
    norms[norms == 0] = 1
    return a / np.expand_dims(norms, axis)


def binary_logloss(p, y):
    epsilon = 1e-15
    p = np.clip(p, epsilon, 1 - epsilon)
    res = np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    return -res / len(y)


def multiclass_logloss(p, y):
    npreds = [p[i][y[i] - 1] for i in range(len(y))]
    return -np.mean(np.log(npreds))


def accuracy(p, y):
    return np.mean([a == b for a, b in zip(p, y)])


def probas_to_classes(y_pred):
    """Class ids from probabilities: argmax for several columns, ``> 0.5`` for one."""
    if len(y_pred.shape) > 1 and y_pred.shape[1] > 1:
        return categorical_probas_to_classes(y_pred)
    return np.array([1 if p > 0.5 else 0 for p in y_pred])


def categorical_probas_to_classes(p):
    return np.argmax(p, axis=1)


def convert_kernel(kernel, dim_ordering=None):
    """Flip a convolution kernel spatially (Theano true convolution <-> TF cross-correlation).

    ``dim_ordering`` ``'th'`` or ``'tf'``; ``None`` (or ``'default'``) reads keras.json."""
    if dim_ordering is None or dim_ordering == "default":
        dim_ordering = config.image_dim_ordering()
    if dim_ordering not in ("th", "tf"):
        raise ValueError("convert_kernel: invalid dim_ordering %r (expected 'th' or 'tf')"
                         % (dim_ordering,))
    kernel = np.asarray(kernel)
    if kernel.ndim < 3:
        raise ValueError("convert_kernel expects a convolution kernel (3-D or more), got shape %s"
                         % (kernel.shape,))
    spatial = range(2, kernel.ndim) if dim_ordering == "th" else range(kernel.ndim - 2)
    slices = [slice(None, None, -1) if axis in spatial else slice(None)
              for axis in range(kernel.ndim)]
    return np.copy(kernel[tuple(slices)])
