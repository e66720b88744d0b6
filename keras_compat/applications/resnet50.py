"""``keras.applications.resnet50``: the 50-layer residual network (He et al., "Deep Residual
Learning for Image Recognition", arXiv:1512.03385), optionally with its ImageNet weights read
from the Keras cache."""
from keras_compat import backend as K
from keras_compat.applications import _weights_file
from keras_compat.applications._model_input import model_input, model_inputs
from keras_compat.applications.imagenet_utils import (  # noqa: F401 (_obtain_input_shape: as 1.2.2)
    _obtain_input_shape, decode_predictions, preprocess_input)
from keras_compat.layers import (Activation, AveragePooling2D, BatchNormalization, Convolution2D,
                                 Dense, Flatten, MaxPooling2D, ZeroPadding2D, merge)
from keras_compat.models import Model

__all__ = ["ResNet50", "identity_block", "conv_block", "decode_predictions", "preprocess_input"]

_RELEASE = "https://github.com/fchollet/deep-learning-models/releases/download/v0.2/"
TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP = (
    _weights_file.ordering_origins(_RELEASE, "resnet50"))

# (image_dim_ordering, include_top) -> the file Keras 1.2.2 cached, with the MD5 it checked.
WEIGHTS_FILES = _weights_file.ordering_files(
    (TH_WEIGHTS_PATH, TF_WEIGHTS_PATH, TH_WEIGHTS_PATH_NO_TOP, TF_WEIGHTS_PATH_NO_TOP),
    ("1c1f8f5b0c8ee28fe9d950625a230e1c",
     "a7b3fe01876f51b976af0dea6bc144eb",
     "f64f049c92468c9affcd44b0976cdafe",
     "a268eb855778b3df3c7506639542a6af"))

DEFAULT_SIZE = 224
MIN_SIZE = 197
# (filters of the three convolutions, number of blocks, stride of the first block) per stage 2..5.
STAGES = (((64, 64, 256), 3, (1, 1)), ((128, 128, 512), 4, (2, 2)),
          ((256, 256, 1024), 6, (2, 2)), ((512, 512, 2048), 3, (2, 2)))


def _channel_axis():
    return 1 if K.image_dim_ordering() == "th" else 3


def _main_path(input_tensor, kernel_size, filters, stage, block, strides):
    """1x1 (with ``strides``), ``kernel_size`` square, then 1x1 convolution, each batch
    normalised; the first two followed by a ReLU."""
    conv_name = "res%d%s_branch" % (stage, block)
    bn_name = "bn%d%s_branch" % (stage, block)
    axis = _channel_axis()
    first, middle, last = filters
    x = Convolution2D(first, 1, 1, subsample=strides, name=conv_name + "2a")(input_tensor)
    x = BatchNormalization(axis=axis, name=bn_name + "2a")(x)
    x = Activation("relu")(x)
    x = Convolution2D(middle, kernel_size, kernel_size, border_mode="same",
                      name=conv_name + "2b")(x)
    x = BatchNormalization(axis=axis, name=bn_name + "2b")(x)
    x = Activation("relu")(x)
    x = Convolution2D(last, 1, 1, name=conv_name + "2c")(x)
    return BatchNormalization(axis=axis, name=bn_name + "2c")(x)


def identity_block(input_tensor, kernel_size, filters, stage, block):
    """A residual block whose shortcut is the input itself.

    # Arguments
        input_tensor: the block's input.
        kernel_size: side of the middle convolution's kernel.
        filters: the three convolutions' filter counts.
        stage, block: the stage number and block letter the layer names are made of
            (``res2b_branch2a``).
    """
    x = _main_path(input_tensor, kernel_size, filters, stage, block, (1, 1))
    x = merge([x, input_tensor], mode="sum")
    return Activation("relu")(x)


def conv_block(input_tensor, kernel_size, filters, stage, block, strides=(2, 2)):
    """A residual block whose shortcut is a strided 1x1 convolution (to change the size).

    Arguments as :func:`identity_block`; ``strides`` applies to the first convolution of the
    main path and to the shortcut.
    """
    x = _main_path(input_tensor, kernel_size, filters, stage, block, strides)
    shortcut = Convolution2D(filters[2], 1, 1, subsample=strides,
                             name="res%d%s_branch1" % (stage, block))(input_tensor)
    shortcut = BatchNormalization(axis=_channel_axis(), name="bn%d%s_branch1" % (stage, block))(
        shortcut)
    x = merge([x, shortcut], mode="sum")
    return Activation("relu")(x)


@_weights_file.documented("ResNet50", "the 1000-way classifier", MIN_SIZE)
def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             classes=1000):
    pretrained = _weights_file.ImageNetWeights(
        "ResNet50", WEIGHTS_FILES, include_top, weights, input_shape,
        classes, DEFAULT_SIZE, MIN_SIZE)
    input_shape = pretrained.input_shape

    start = model_input(input_tensor, input_shape)
    x = ZeroPadding2D((3, 3))(start)
    x = Convolution2D(64, 7, 7, subsample=(2, 2), name="conv1")(x)
    x = BatchNormalization(axis=_channel_axis(), name="bn_conv1")(x)
    x = Activation("relu")(x)
    x = MaxPooling2D((3, 3), strides=(2, 2))(x)
    for stage, (filters, blocks, strides) in enumerate(STAGES, 2):
        x = conv_block(x, 3, filters, stage=stage, block="a", strides=strides)
        for block in "bcdef"[:blocks - 1]:
            x = identity_block(x, 3, filters, stage=stage, block=block)
    x = AveragePooling2D((7, 7), name="avg_pool")(x)
    if include_top:
        x = Flatten()(x)
        x = Dense(classes, activation="softmax", name="fc1000")(x)
    model = Model(model_inputs(input_tensor, start), x, name="resnet50")

    pretrained.load_into(model)
    return model
