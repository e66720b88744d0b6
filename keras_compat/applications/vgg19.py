"""``keras.applications.vgg19``: the VGG19 network (Simonyan & Zisserman, "Very Deep
Convolutional Networks for Large-Scale Image Recognition", arXiv:1409.1556), optionally with
its ImageNet weights read from the Keras cache."""
from keras_compat.applications import _vgg, _weights_file
# Importable from here, as in Keras 1.2.2 (``_obtain_input_shape`` too: 2017 code reused it).
from keras_compat.applications.imagenet_utils import (  # noqa: F401
    _obtain_input_shape, decode_predictions, preprocess_input)

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]

_RELEASE = "https://github.com/fchollet/deep-learning-models/releases/download/v0.1/"
TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP = (
    _weights_file.ordering_origins(_RELEASE, "vgg19"))

# (image_dim_ordering, include_top) -> the file Keras 1.2.2 cached (it checked no MD5 here).
WEIGHTS_FILES = _weights_file.ordering_files(
    (TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP))

# Convolutions in each of the five blocks.
CONVS_PER_BLOCK = (2, 2, 4, 4, 4)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, classes=1000):
    """The VGG19 model, in the configured image_dim_ordering.

    # Arguments
        include_top: whether to add the three fully-connected layers on top.
        weights: None (random initialisation) or ``'imagenet'`` (the pretrained file from
            ``~/.keras/models/``; never downloaded).
        input_tensor: a tensor (e.g. the output of ``Input()``) to build the model on.
        input_shape: only without the top: 3 channels, sides of at least 48 (None: any size).
        classes: size of the classifier; 1000 with the ImageNet weights.
    """
    return _vgg.build("vgg19", CONVS_PER_BLOCK, WEIGHTS_FILES, include_top, weights, input_tensor,
                      input_shape, classes)
