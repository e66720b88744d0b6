"""``keras.applications.vgg19``: the VGG19 network (Simonyan & Zisserman, "Very Deep
Convolutional Networks for Large-Scale Image Recognition", arXiv:1409.1556), optionally with
its ImageNet weights read from the Keras cache."""
from keras_compat.applications import _vgg, _weights_file
# Importable from here, as in Keras 1.2.2 (``_obtain_input_shape`` too: 2017 code reused it).
from keras_compat.applications.imagenet_utils import (  # noqa: F401
    _obtain_input_shape, decode_predictions, preprocess_input)

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]

TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP = (
    _weights_file.ordering_origins(_vgg.RELEASE, "vgg19"))
# (image_dim_ordering, include_top) -> the file Keras 1.2.2 cached (it checked no MD5 here).
WEIGHTS_FILES = _weights_file.ordering_files(
    (TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP))
CONVS_PER_BLOCK = (2, 2, 4, 4, 4)  # convolutions in each of the five blocks

VGG19 = _vgg.network("VGG19", CONVS_PER_BLOCK, WEIGHTS_FILES, __name__)
