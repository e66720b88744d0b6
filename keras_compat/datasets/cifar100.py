"""CIFAR-100 (Keras-1 ``keras.datasets.cifar100``) from ``cifar-100-python[.tar.gz]``."""
import os

from keras_compat.datasets.cifar import keras_splits, load_batch
from keras_compat.utils.data_utils import get_file

ORIGIN = "http://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
DIRNAME = "cifar-100-python"


def load_data(label_mode="fine"):
    """Like ``cifar10.load_data``; ``label_mode`` is ``'fine'`` (100 classes) or ``'coarse'`` (20)."""
    if label_mode not in ("fine", "coarse"):
        raise ValueError('label_mode must be one of "fine" "coarse".')
    path = get_file(DIRNAME, origin=ORIGIN, untar=True)
    key = label_mode + "_labels"
    x_train, y_train = load_batch(os.path.join(path, "train"), label_key=key)
    x_test, y_test = load_batch(os.path.join(path, "test"), label_key=key)

    return keras_splits(x_train, y_train, x_test, y_test)
