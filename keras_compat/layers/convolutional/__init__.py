"""``keras.layers.convolutional``."""
from keras_compat.layers.convolutional.atrous_convolution1d import AtrousConv1D as AtrousConv1D
from keras_compat.layers.convolutional.atrous_convolution1d import (
    AtrousConvolution1D as AtrousConvolution1D)
from keras_compat.layers.convolutional.atrous_convolution2d import AtrousConv2D as AtrousConv2D
from keras_compat.layers.convolutional.atrous_convolution2d import (
    AtrousConvolution2D as AtrousConvolution2D)
from keras_compat.layers.convolutional.convolution1d import Conv1D as Conv1D
from keras_compat.layers.convolutional.convolution1d import Convolution1D as Convolution1D
from keras_compat.layers.convolutional.convolution2d import Conv2D as Conv2D
from keras_compat.layers.convolutional.convolution2d import Convolution2D as Convolution2D
from keras_compat.layers.convolutional.convolution3d import Conv3D as Conv3D
from keras_compat.layers.convolutional.convolution3d import Convolution3D as Convolution3D
from keras_compat.layers.convolutional.cropping import Cropping1D as Cropping1D
from keras_compat.layers.convolutional.cropping import Cropping2D as Cropping2D
from keras_compat.layers.convolutional.cropping import Cropping3D as Cropping3D
from keras_compat.layers.convolutional.deconvolution2d import Deconv2D as Deconv2D
from keras_compat.layers.convolutional.deconvolution2d import Deconvolution2D as Deconvolution2D
from keras_compat.layers.convolutional.separable_convolution2d import (
    SeparableConv2D as SeparableConv2D)
from keras_compat.layers.convolutional.separable_convolution2d import (
    SeparableConvolution2D as SeparableConvolution2D)
from keras_compat.layers.convolutional.up_sampling import UpSampling1D as UpSampling1D
from keras_compat.layers.convolutional.up_sampling import UpSampling2D as UpSampling2D
from keras_compat.layers.convolutional.up_sampling import UpSampling3D as UpSampling3D
from keras_compat.layers.convolutional.zero_padding import ZeroPadding1D as ZeroPadding1D
from keras_compat.layers.convolutional.zero_padding import ZeroPadding2D as ZeroPadding2D
from keras_compat.layers.convolutional.zero_padding import ZeroPadding3D as ZeroPadding3D

__all__ = ["AtrousConv1D", "AtrousConv2D", "AtrousConvolution1D", "AtrousConvolution2D",
           "Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D",
           "Cropping1D", "Cropping2D", "Cropping3D", "Deconv2D", "Deconvolution2D",
           "SeparableConv2D", "SeparableConvolution2D", "UpSampling1D", "UpSampling2D",
           "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.engine.layer import Layer as Layer
from keras_compat._args.values import conv_input_length as conv_input_length
from keras_compat._args.values import conv_output_length as conv_output_length
# Keras 1.2.2 re-exported the pooling layers here (from keras.layers.convolutional
# import MaxPooling2D is common in 2016 scripts).
from keras_compat.layers.pooling import (  # noqa: E402
    AveragePooling1D as AveragePooling1D, AveragePooling2D as AveragePooling2D,
    AveragePooling3D as AveragePooling3D, MaxPooling1D as MaxPooling1D,
    MaxPooling2D as MaxPooling2D, MaxPooling3D as MaxPooling3D)
