"""``keras.applications.vgg16``: VGG16 (arXiv:1409.1556), ImageNet weights from the Keras cache."""
from keras_compat.applications import _vgg
# Importable from here, as in Keras 1.2.2 (``_obtain_input_shape`` too: 2017 code reused it).
from keras_compat.applications.imagenet_utils import (  # noqa: F401
    _obtain_input_shape, decode_predictions, preprocess_input)

__all__ = ["VGG16", "decode_predictions", "preprocess_input"]

TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP = _vgg.origins(
    "vgg16")
WEIGHTS_FILES = _vgg.weights_files("vgg16")
VGG16 = _vgg.network("VGG16", (2, 2, 3, 3, 3), WEIGHTS_FILES, __name__)  # convolutions per block
