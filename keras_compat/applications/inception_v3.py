"""``keras.applications.inception_v3``: Inception v3 (Szegedy et al., "Rethinking the Inception
Architecture for Computer Vision", arXiv:1512.00567), optionally with its ImageNet weights read
from the Keras cache. Its default input is 299x299 and its ``preprocess_input`` scales pixels
to [-1, 1] (not the mean-pixel preprocessing of ``imagenet_utils``)."""
from keras_compat import backend as K
from keras_compat.applications import _weights_file
from keras_compat.applications._model_input import model_input, model_inputs
from keras_compat.applications.imagenet_utils import (  # noqa: F401 (_obtain_input_shape: as 1.2.2)
    _obtain_input_shape, decode_predictions)
from keras_compat.layers import (AveragePooling2D, BatchNormalization, Convolution2D, Dense,
                                 Flatten, MaxPooling2D, merge)
from keras_compat.models import Model

__all__ = ["InceptionV3", "conv2d_bn", "decode_predictions", "preprocess_input"]

_RELEASE = "https://github.com/fchollet/deep-learning-models/releases/download/v0.2/"
TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP = (
    _weights_file.ordering_origins(_RELEASE, "inception_v3"))

# (image_dim_ordering, include_top) -> the file Keras 1.2.2 cached, with the MD5 it checked.
WEIGHTS_FILES = _weights_file.ordering_files(
    (TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP),
    ("b3baf3070cc4bf476d43a2ea61b0ca5f",
     "fe114b3ff2ea4bf891e9353d1bbfb32f",
     "79aaa90ab4372b4593ba3df64e142f05",
     "2f3609166de1d967d1a481094754f691"))

DEFAULT_SIZE = 299
MIN_SIZE = 139


def conv2d_bn(x, nb_filter, nb_row, nb_col, border_mode="same", subsample=(1, 1), name=None):
    """A ReLU convolution followed by batch normalisation (``<name>_conv``, ``<name>_bn``)."""
    axis = 1 if K.image_dim_ordering() == "th" else 3
    x = Convolution2D(nb_filter, nb_row, nb_col, subsample=subsample, activation="relu",
                      border_mode=border_mode, name=None if name is None else name + "_conv")(x)
    return BatchNormalization(axis=axis, name=None if name is None else name + "_bn")(x)


def _concat(tensors, name=None):
    axis = 1 if K.image_dim_ordering() == "th" else 3
    return merge(tensors, mode="concat", concat_axis=axis, name=name)


def _average_pool_branch(x, filters):
    branch = AveragePooling2D((3, 3), strides=(1, 1), border_mode="same")(x)
    return conv2d_bn(branch, filters, 1, 1)


def _block_35(x, pool_filters, name):
    """The 35x35 module: 1x1, 5x5, double 3x3 and pooled branches."""
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = conv2d_bn(x, 48, 1, 1)
    branch5x5 = conv2d_bn(branch5x5, 64, 5, 5)
    branch3x3dbl = conv2d_bn(x, 64, 1, 1)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch_pool = _average_pool_branch(x, pool_filters)
    return _concat([branch1x1, branch5x5, branch3x3dbl, branch_pool], name)


def _reduce_35_to_17(x):
    branch3x3 = conv2d_bn(x, 384, 3, 3, subsample=(2, 2), border_mode="valid")
    branch3x3dbl = conv2d_bn(x, 64, 1, 1)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, subsample=(2, 2), border_mode="valid")
    branch_pool = MaxPooling2D((3, 3), strides=(2, 2))(x)
    return _concat([branch3x3, branch3x3dbl, branch_pool], "mixed3")


def _block_17(x, inner, name):
    """The 17x17 module: factorised 7x7 branches whose inner convolutions have ``inner``
    filters."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = conv2d_bn(x, inner, 1, 1)
    branch7x7 = conv2d_bn(branch7x7, inner, 1, 7)
    branch7x7 = conv2d_bn(branch7x7, 192, 7, 1)
    branch7x7dbl = conv2d_bn(x, inner, 1, 1)
    branch7x7dbl = conv2d_bn(branch7x7dbl, inner, 7, 1)
    branch7x7dbl = conv2d_bn(branch7x7dbl, inner, 1, 7)
    branch7x7dbl = conv2d_bn(branch7x7dbl, inner, 7, 1)
    branch7x7dbl = conv2d_bn(branch7x7dbl, 192, 1, 7)
    branch_pool = _average_pool_branch(x, 192)
    return _concat([branch1x1, branch7x7, branch7x7dbl, branch_pool], name)


def _block_17_last(x):
    """mixed7: as the other 17x17 modules, but its second branch keeps 192 filters while its
    double branch starts from 160 (as Keras 1.2.2 built it)."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = conv2d_bn(branch7x7, 192, 1, 7)
    branch7x7 = conv2d_bn(branch7x7, 192, 7, 1)
    branch7x7dbl = conv2d_bn(x, 160, 1, 1)
    branch7x7dbl = conv2d_bn(branch7x7dbl, 192, 7, 1)
    branch7x7dbl = conv2d_bn(branch7x7dbl, 192, 1, 7)
    branch7x7dbl = conv2d_bn(branch7x7dbl, 192, 7, 1)
    branch7x7dbl = conv2d_bn(branch7x7dbl, 192, 1, 7)
    branch_pool = _average_pool_branch(x, 192)
    return _concat([branch1x1, branch7x7, branch7x7dbl, branch_pool], "mixed7")


def _reduce_17_to_8(x):
    branch3x3 = conv2d_bn(x, 192, 1, 1)
    branch3x3 = conv2d_bn(branch3x3, 320, 3, 3, subsample=(2, 2), border_mode="valid")
    branch7x7x3 = conv2d_bn(x, 192, 1, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 1, 7)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 7, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, subsample=(2, 2), border_mode="valid")
    branch_pool = AveragePooling2D((3, 3), strides=(2, 2))(x)
    return _concat([branch3x3, branch7x7x3, branch_pool], "mixed8")


def _block_8(x, index):
    """The 8x8 module: its 3x3 branches split into parallel 1x3 and 3x1 convolutions."""
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = _concat([conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)],
                        "mixed9_%d" % index)
    branch3x3dbl = conv2d_bn(x, 448, 1, 1)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 384, 3, 3)
    branch3x3dbl = _concat([conv2d_bn(branch3x3dbl, 384, 1, 3),
                            conv2d_bn(branch3x3dbl, 384, 3, 1)])
    branch_pool = _average_pool_branch(x, 192)
    return _concat([branch1x1, branch3x3, branch3x3dbl, branch_pool], "mixed%d" % (9 + index))


@_weights_file.documented("Inception v3", "the pooling and 1000-way classifier", MIN_SIZE)
def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                classes=1000):
    pretrained = _weights_file.ImageNetWeights(
        "InceptionV3", WEIGHTS_FILES, include_top, weights, input_shape,
        classes, DEFAULT_SIZE, MIN_SIZE)
    input_shape = pretrained.input_shape

    start = model_input(input_tensor, input_shape)
    x = conv2d_bn(start, 32, 3, 3, subsample=(2, 2), border_mode="valid")
    x = conv2d_bn(x, 32, 3, 3, border_mode="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, border_mode="valid")
    x = conv2d_bn(x, 192, 3, 3, border_mode="valid")
    x = MaxPooling2D((3, 3), strides=(2, 2))(x)
    for index in range(3):
        x = _block_35(x, 32, "mixed%d" % index)
    x = _reduce_35_to_17(x)
    x = _block_17(x, 128, "mixed4")
    for index in range(2):
        x = _block_17(x, 160, "mixed%d" % (5 + index))
    x = _block_17_last(x)
    x = _reduce_17_to_8(x)
    for index in range(2):
        x = _block_8(x, index)
    if include_top:
        x = AveragePooling2D((8, 8), strides=(8, 8), name="avg_pool")(x)
        x = Flatten(name="flatten")(x)
        x = Dense(classes, activation="softmax", name="predictions")(x)
    model = Model(model_inputs(input_tensor, start), x, name="inception_v3")

    pretrained.load_into(model)
    return model


def preprocess_input(x):
    """Pixels in [0, 255] scaled to [-1, 1], in place (Inception's preprocessing)."""
    x /= 255.
    x -= 0.5
    x *= 2.
    return x
