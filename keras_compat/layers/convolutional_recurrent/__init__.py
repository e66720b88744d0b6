"""``keras.layers.convolutional_recurrent``."""
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.engine.layer import Layer as Layer
from keras_compat.layers.convolutional_recurrent.conv_lstm2d import ConvLSTM2D as ConvLSTM2D
from keras_compat.layers.convolutional_recurrent.conv_recurrent2d import (
    ConvRecurrent2D as ConvRecurrent2D)
from keras_compat._args.values import conv_output_length as conv_output_length

__all__ = ["ConvLSTM2D", "ConvRecurrent2D"]
