"""The VGG network shared by VGG16 and VGG19: five blocks of 3x3 convolutions and a max
pooling, then (``include_top``) two 4096-unit layers and the softmax classifier."""
from keras_compat.applications import _weights_file
from keras_compat.applications._model_input import model_input, model_inputs
from keras_compat.layers import Convolution2D, Dense, Flatten, MaxPooling2D
from keras_compat.models import Model

BLOCK_FILTERS = (64, 128, 256, 512, 512)
DEFAULT_SIZE = 224
MIN_SIZE = 48
RELEASE = "https://github.com/fchollet/deep-learning-models/releases/download/v0.1/"


def origins(stem):
    """The URLs of the four ImageNet files of ``stem`` (``'vgg16'``), named as Keras 1.2.2 named
    them: ``(th, tf, th without top, tf without top)``."""
    return _weights_file.ordering_origins(RELEASE, stem)


def weights_files(stem):
    """``(image_dim_ordering, include_top) -> WeightsFile`` of ``stem``'s four files (Keras
    1.2.2 checked no MD5 for them)."""
    return _weights_file.ordering_files(origins(stem))


def network(public_name, convs_per_block, weights_files, module):
    """The Keras-1 function ``VGG16``/``VGG19`` of ``module``: its network has
    ``convs_per_block`` convolutions in each block, its ImageNet files are ``weights_files``."""
    def vgg(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
            classes=1000):
        return build(public_name.lower(), convs_per_block, weights_files, include_top, weights,
                     input_tensor, input_shape, classes)

    vgg.__name__ = vgg.__qualname__ = public_name
    vgg.__module__ = module
    _weights_file.documented(public_name, "the three fully-connected layers", MIN_SIZE)(vgg)
    return vgg


def build(model_name, convs_per_block, weights_files, include_top, weights, input_tensor,
          input_shape, classes):
    """The VGG model named ``model_name`` (``'vgg16'``), ``convs_per_block`` convolutions in
    each block; ``weights_files`` maps ``(dim ordering, include_top)`` to its ``WeightsFile``."""
    public_name = model_name.upper()
    pretrained = _weights_file.ImageNetWeights(
        public_name, weights_files, include_top, weights, input_shape,
        classes, DEFAULT_SIZE, MIN_SIZE)
    input_shape = pretrained.input_shape

    start = model_input(input_tensor, input_shape)
    x = start
    for block, (filters, convs) in enumerate(zip(BLOCK_FILTERS, convs_per_block), 1):
        for conv in range(1, convs + 1):
            x = Convolution2D(filters, 3, 3, activation="relu", border_mode="same",
                              name="block%d_conv%d" % (block, conv))(x)
        x = MaxPooling2D((2, 2), strides=(2, 2), name="block%d_pool" % block)(x)
    if include_top:
        x = Flatten(name="flatten")(x)
        x = Dense(4096, activation="relu", name="fc1")(x)
        x = Dense(4096, activation="relu", name="fc2")(x)
        x = Dense(classes, activation="softmax", name="predictions")(x)
    model = Model(model_inputs(input_tensor, start), x, name=model_name)

    pretrained.load_into(model)
    return model
