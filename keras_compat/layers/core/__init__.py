"""``keras.layers.core``."""
from keras_compat.engine.layer import Layer as Layer
from keras_compat.layers.core.activation import Activation as Activation
from keras_compat.layers.core.dense import Dense as Dense
from keras_compat.layers.core.dropout import Dropout as Dropout
from keras_compat.layers.core.flatten import Flatten as Flatten
from keras_compat.layers.core.lambda_layer import Lambda as Lambda
from keras_compat.layers.core.permute import Permute as Permute
from keras_compat.layers.core.repeat_vector import RepeatVector as RepeatVector
from keras_compat.layers.core.reshape import Reshape as Reshape

__all__ = ["Activation", "Dense", "Dropout", "Flatten", "Lambda", "Permute", "RepeatVector",
           "Reshape"]
