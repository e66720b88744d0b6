"""The Keras-1 module paths legacy code imports resolve to keras_compat's own modules."""
import importlib

import pytest

import keras_compat

KERAS1_PATHS = [
    "keras", "keras.models", "keras.layers", "keras.layers.core", "keras.layers.convolutional",
    "keras.layers.pooling", "keras.layers.embeddings", "keras.layers.normalization",
    "keras.optimizers", "keras.objectives", "keras.metrics", "keras.activations",
    "keras.initializations", "keras.regularizers", "keras.constraints", "keras.callbacks",
    "keras.backend", "keras.utils.np_utils", "keras.utils.generic_utils", "keras.utils.vis_utils",
    "keras.utils.visualize_util",
]


@pytest.mark.parametrize("path", KERAS1_PATHS)
def test_keras1_path_is_the_keras_compat_module(path):
    with keras_compat.installed():
        alias = importlib.import_module(path)
        target = importlib.import_module("keras_compat" + path[len("keras"):])
        assert alias is target


def test_tutorial_imports_work():
    with keras_compat.installed():
        from keras.layers import Activation, Dense  # noqa: F401
        from keras.layers.convolutional import Convolution2D
        from keras.layers.core import Flatten  # noqa: F401
        from keras.layers.embeddings import Embedding  # noqa: F401
        from keras.models import Sequential  # noqa: F401
        from keras.optimizers import SGD  # noqa: F401
        from keras import backend as K
        assert Convolution2D is keras_compat.layers.Convolution2D
        assert K.epsilon() == 1e-7
