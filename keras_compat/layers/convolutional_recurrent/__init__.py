"""``keras.layers.convolutional_recurrent``."""
from keras_compat.layers.convolutional_recurrent.conv_lstm2d import ConvLSTM2D as ConvLSTM2D

__all__ = ["ConvLSTM2D"]
