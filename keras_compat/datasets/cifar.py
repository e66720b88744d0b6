"""Shared CIFAR batch reader (Keras-1 ``keras.datasets.cifar``)."""
import numpy as np

from keras_compat.backend import config
from keras_compat.datasets._io import bad_format, load_pickle


def load_batch(fpath, label_key="labels"):
    """``(data (N, 3, 32, 32) uint8, labels list)`` from one pickled CIFAR batch file."""
    d = load_pickle(fpath, encoding="bytes", what="CIFAR batch")
    if not isinstance(d, dict):
        raise bad_format(fpath, "a pickled dict with 'data' and '%s'" % label_key)
    d = {(k.decode("utf8") if isinstance(k, bytes) else k): v for k, v in d.items()}
    if "data" not in d or label_key not in d:
        raise bad_format(fpath, "a pickled dict with 'data' and '%s' (found keys %s)"
                         % (label_key, sorted(d)))
    data = np.asarray(d["data"])
    labels = d[label_key]
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(labels) != data.shape[0]:
        raise bad_format(fpath, "'data' of shape (N, 3072) and N labels (got data %s, %d labels)"
                         % (data.shape, len(labels)))
    return data.reshape(data.shape[0], 3, 32, 32), labels


def keras_splits(x_train, y_train, x_test, y_test):
    """``((x_train, y_train), (x_test, y_test))`` as Keras 1's CIFAR loaders returned them:
    labels as ``(N, 1)`` columns, images ``(N, 32, 32, 3)`` under the ``tf`` ordering."""
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    if config.image_dim_ordering() == "tf":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
