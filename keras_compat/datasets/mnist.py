"""MNIST digits (Keras-1 ``keras.datasets.mnist``) from the cached ``mnist.pkl.gz``."""
import numpy as np

from keras_compat.datasets._io import bad_format, load_pickle
from keras_compat.utils.data_utils import get_file

ORIGIN = "https://s3.amazonaws.com/img-datasets/mnist.pkl.gz"
_EXPECTED = "a pickle of ((X_train, y_train), (X_test, y_test)) NumPy arrays"


def load_data(path="mnist.pkl.gz"):
    """``((X_train, y_train), (X_test, y_test))`` as pickled: X uint8 ``(n, 28, 28)``, y ``(n,)``."""
    path = get_file(path, origin=ORIGIN)
    data = load_pickle(path, encoding="bytes", what="MNIST")
    try:
        (x_train, y_train), (x_test, y_test) = data
    except (TypeError, ValueError):
        raise bad_format(path, _EXPECTED)
    for x, y in ((x_train, y_train), (x_test, y_test)):
        if not isinstance(x, np.ndarray) or not isinstance(y, np.ndarray) or len(x) != len(y):
            raise bad_format(path, _EXPECTED + " with as many labels as images")
    return (x_train, y_train), (x_test, y_test)
