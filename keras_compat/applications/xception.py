"""``keras.applications.xception``: Xception (Chollet, "Xception: Deep Learning with Depthwise
Separable Convolutions", arXiv:1610.02357), optionally with its ImageNet weights read from the
Keras cache.

As in Keras 1.2.2 the model exists for the TensorFlow backend and the ``'tf'`` dim ordering
only: under ``backend='theano'`` it raises; under ``'th'`` it warns and builds the ``'tf'``
model (the global ordering is switched for the build and put back afterwards).
"""
import warnings

from keras_compat import backend as K
from keras_compat.applications import _weights_file
from keras_compat.applications._model_input import model_input, model_inputs
from keras_compat.applications.imagenet_utils import _obtain_input_shape, decode_predictions
# Keras 1.2.2's Xception scaled pixels to [-1, 1] exactly as Inception v3 does.
from keras_compat.applications.inception_v3 import preprocess_input
from keras_compat.layers import (Activation, BatchNormalization, Convolution2D, Dense,
                                 GlobalAveragePooling2D, MaxPooling2D, SeparableConvolution2D,
                                 merge)
from keras_compat.models import Model

__all__ = ["Xception", "decode_predictions", "preprocess_input"]

_RELEASE = "https://github.com/fchollet/deep-learning-models/releases/download/v0.4/"
TF_WEIGHTS_PATH = _RELEASE + "xception_weights_tf_dim_ordering_tf_kernels.h5"
TF_WEIGHTS_PATH_NO_TOP = _RELEASE + "xception_weights_tf_dim_ordering_tf_kernels_notop.h5"

# include_top -> the file Keras 1.2.2 cached (no MD5 checked; TensorFlow kernels).
WEIGHTS_FILES = {
    True: _weights_file.from_origin(TF_WEIGHTS_PATH, "tensorflow"),
    False: _weights_file.from_origin(TF_WEIGHTS_PATH_NO_TOP, "tensorflow"),
}

DEFAULT_SIZE = 299
MIN_SIZE = 71
MIDDLE_FLOW_BLOCKS = 8


def _separable(x, filters, name):
    return SeparableConvolution2D(filters, 3, 3, border_mode="same", bias=False, name=name)(x)


def _shortcut(x, filters):
    """The strided 1x1 convolution (unnamed, as in Keras 1.2.2) added around a block."""
    x = Convolution2D(filters, 1, 1, subsample=(2, 2), border_mode="same", bias=False)(x)
    return BatchNormalization()(x)


def _downsampling_block(x, block, first_filters, second_filters, activate_first=True):
    """Two ReLU + separable convolution + batch norm steps, a strided max pooling, plus the
    shortcut."""
    residual = _shortcut(x, second_filters)
    prefix = "block%d" % block
    if activate_first:
        x = Activation("relu", name=prefix + "_sepconv1_act")(x)
    x = _separable(x, first_filters, prefix + "_sepconv1")
    x = BatchNormalization(name=prefix + "_sepconv1_bn")(x)
    x = Activation("relu", name=prefix + "_sepconv2_act")(x)
    x = _separable(x, second_filters, prefix + "_sepconv2")
    x = BatchNormalization(name=prefix + "_sepconv2_bn")(x)
    x = MaxPooling2D((3, 3), strides=(2, 2), border_mode="same", name=prefix + "_pool")(x)
    return merge([x, residual], mode="sum")


def _middle_block(x, block):
    """Three ReLU + 728-filter separable convolution + batch norm steps around an identity."""
    residual = x
    prefix = "block%d" % block
    for step in (1, 2, 3):
        x = Activation("relu", name="%s_sepconv%d_act" % (prefix, step))(x)
        x = _separable(x, 728, "%s_sepconv%d" % (prefix, step))
        x = BatchNormalization(name="%s_sepconv%d_bn" % (prefix, step))(x)
    return merge([x, residual], mode="sum")


def _build(include_top, input_tensor, input_shape, classes):
    start = model_input(input_tensor, input_shape)
    x = Convolution2D(32, 3, 3, subsample=(2, 2), bias=False, name="block1_conv1")(start)
    x = BatchNormalization(name="block1_conv1_bn")(x)
    x = Activation("relu", name="block1_conv1_act")(x)
    x = Convolution2D(64, 3, 3, bias=False, name="block1_conv2")(x)
    x = BatchNormalization(name="block1_conv2_bn")(x)
    x = Activation("relu", name="block1_conv2_act")(x)
    # Block 2 starts from the ReLU above and names its middle activation sepconv2_act, as
    # Keras 1.2.2 did.
    x = _downsampling_block(x, 2, 128, 128, activate_first=False)
    x = _downsampling_block(x, 3, 256, 256)
    x = _downsampling_block(x, 4, 728, 728)
    for block in range(5, 5 + MIDDLE_FLOW_BLOCKS):
        x = _middle_block(x, block)
    x = _downsampling_block(x, 13, 728, 1024)
    x = _separable(x, 1536, "block14_sepconv1")
    x = BatchNormalization(name="block14_sepconv1_bn")(x)
    x = Activation("relu", name="block14_sepconv1_act")(x)
    x = _separable(x, 2048, "block14_sepconv2")
    x = BatchNormalization(name="block14_sepconv2_bn")(x)
    x = Activation("relu", name="block14_sepconv2_act")(x)
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)
        x = Dense(classes, activation="softmax", name="predictions")(x)
    return Model(model_inputs(input_tensor, start), x, name="xception")


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             classes=1000):
    """The Xception model (``'tf'`` dim ordering whatever the configuration).

    # Arguments
        include_top: whether to add the global pooling and 1000-way classifier on top.
        weights: None (random initialisation) or ``'imagenet'`` (the pretrained file from
            ``~/.keras/models/``; never downloaded).
        input_tensor: a tensor (e.g. the output of ``Input()``) to build the model on.
        input_shape: only without the top: 3 channels last, sides of at least 71 (None: any
            size).
        classes: size of the classifier; 1000 with the ImageNet weights.
    """
    _weights_file.check_weights_argument(weights, include_top, classes, "imagenet", "ImageNet",
                                         1000)
    if K.backend() != "tensorflow":
        raise RuntimeError("The Xception model is only available with the TensorFlow backend.")
    previous_ordering = K.image_dim_ordering()
    if previous_ordering != "tf":
        warnings.warn("The Xception model is only available for the input dimension ordering "
                      "\"tf\" (width, height, channels). However your settings specify the "
                      "default dimension ordering \"th\" (channels, width, height). You should "
                      "set `image_dim_ordering=\"tf\"` in your Keras config located at "
                      "~/.keras/keras.json. The model being returned right now will expect "
                      "inputs to follow the \"tf\" dimension ordering.", stacklevel=2)
    K.set_image_dim_ordering("tf")
    try:
        input_shape = _obtain_input_shape(input_shape, default_size=DEFAULT_SIZE,
                                          min_size=MIN_SIZE, dim_ordering="tf",
                                          include_top=include_top)
        entry = WEIGHTS_FILES[bool(include_top)] if weights == "imagenet" else None
        path = _weights_file.locate("Xception", weights, entry) if entry else None
        model = _build(include_top, input_tensor, input_shape, classes)
        if path is not None:
            _weights_file.load(model, path, entry)
    finally:
        K.set_image_dim_ordering(previous_ordering)
    return model
