"""``keras.layers.convolutional``."""
from keras_compat.layers.convolutional.convolution1d import Conv1D as Conv1D
from keras_compat.layers.convolutional.convolution1d import Convolution1D as Convolution1D
from keras_compat.layers.convolutional.convolution2d import Conv2D as Conv2D
from keras_compat.layers.convolutional.convolution2d import Convolution2D as Convolution2D
from keras_compat.layers.convolutional.up_sampling import UpSampling1D as UpSampling1D
from keras_compat.layers.convolutional.up_sampling import UpSampling2D as UpSampling2D
from keras_compat.layers.convolutional.zero_padding import ZeroPadding1D as ZeroPadding1D
from keras_compat.layers.convolutional.zero_padding import ZeroPadding2D as ZeroPadding2D

__all__ = ["Conv1D", "Conv2D", "Convolution1D", "Convolution2D", "UpSampling1D", "UpSampling2D",
           "ZeroPadding1D", "ZeroPadding2D"]
