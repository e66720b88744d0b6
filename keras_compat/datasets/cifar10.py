"""CIFAR-10 (Keras-1 ``keras.datasets.cifar10``) from ``cifar-10-batches-py[.tar.gz]``."""
import os

import numpy as np

from keras_compat.datasets.cifar import keras_splits, load_batch
from keras_compat.utils.data_utils import get_file

ORIGIN = "http://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
DIRNAME = "cifar-10-batches-py"


def load_data():
    """``((x_train, y_train), (x_test, y_test))``; x uint8 ``(N, 32, 32, 3)`` under the ``tf``
    ordering (``(N, 3, 32, 32)`` under ``th``), read when called; y ``(N, 1)``."""
    path = get_file(DIRNAME, origin=ORIGIN, untar=True)
    xs, ys = [], []
    for i in range(1, 6):
        data, labels = load_batch(os.path.join(path, "data_batch_%d" % i))
        xs.append(data)
        ys.append(np.asarray(labels))
    x_train = np.concatenate(xs).astype("uint8")
    y_train = np.concatenate(ys).astype("uint8")
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))

    return keras_splits(x_train, y_train, x_test, y_test)
