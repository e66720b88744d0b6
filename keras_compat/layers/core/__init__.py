"""``keras.layers.core``."""
from keras_compat.layers.core.activation import Activation as Activation
from keras_compat.layers.core.dense import Dense as Dense
from keras_compat.layers.core.dropout import Dropout as Dropout
from keras_compat.layers.core.flatten import Flatten as Flatten
from keras_compat.engine.layer import Layer as Layer

__all__ = ["Activation", "Dense", "Dropout", "Flatten"]
