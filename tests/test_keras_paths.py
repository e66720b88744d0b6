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
    "keras.utils.visualize_util", "keras.engine", "keras.engine.topology", "keras.engine.training",
    "keras.utils.io_utils", "keras.utils.layer_utils", "keras.utils.data_utils",
    "keras.layers.recurrent", "keras.layers.convolutional_recurrent", "keras.layers.wrappers",
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


def test_2016_script_imports_work():
    """The import lines issue #11 found stopping real Keras-1 scripts."""
    with keras_compat.installed():
        from keras.layers.convolutional import Convolution2D, MaxPooling2D  # noqa: F401
        from keras.layers.core import Merge
        from keras.engine import Input, InputLayer, InputSpec, Layer, Model, merge  # noqa: F401
        from keras.engine import Merge as EngineMerge
        from keras.engine.topology import InputSpec as TopologySpec
        from keras.utils.generic_utils import (CustomObjectScope, custom_object_scope,  # noqa: F401
                                               get_custom_objects, get_from_module)
        from keras.utils.np_utils import conv_input_length, conv_output_length  # noqa: F401
        from keras.utils.io_utils import load_array, save_array  # noqa: F401
        from keras.optimizers import clip_norm  # noqa: F401
        from keras.engine.training import (GeneratorEnqueuer, batch_shuffle,  # noqa: F401
                                           check_loss_and_target_compatibility, make_batches,
                                           slice_X, standardize_input_data,
                                           standardize_sample_weights, weighted_objective)
        assert Merge is EngineMerge and InputSpec is TopologySpec
        assert MaxPooling2D is keras_compat.layers.MaxPooling2D
        assert Model is keras_compat.models.Model


def test_names_keras122_lacked_stay_missing():
    with keras_compat.installed():
        import keras.engine
        with pytest.raises(AttributeError, match="Sequential"):
            keras.engine.Sequential
        with pytest.raises(ImportError):
            from keras.engine import Dense  # noqa: F401


def test_keras_layers_merge_is_the_merge_function_as_in_keras1():
    """Keras 1.2.2 had no keras.layers.merge module: the name is the merge() function, whatever
    was imported before, and importing it as a module fails as it did there."""
    with keras_compat.installed():
        import keras.engine.topology  # noqa: F401
        import keras.layers
        from keras.layers import merge
        assert keras.layers.merge is merge and callable(merge)
        assert merge is keras_compat.engine.topology.merge
        with pytest.raises(ModuleNotFoundError, match="keras.layers.merge"):
            importlib.import_module("keras.layers.merge")
        assert keras.layers.merge is merge
