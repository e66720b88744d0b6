"""``keras.layers.pooling``."""
from keras_compat.layers.pooling.average_pooling import AveragePooling1D as AveragePooling1D
from keras_compat.layers.pooling.average_pooling import AveragePooling2D as AveragePooling2D
from keras_compat.layers.pooling.average_pooling import AveragePooling3D as AveragePooling3D
from keras_compat.layers.pooling.global_pooling import (
    GlobalAveragePooling1D as GlobalAveragePooling1D)
from keras_compat.layers.pooling.global_pooling import (
    GlobalAveragePooling2D as GlobalAveragePooling2D)
from keras_compat.layers.pooling.global_pooling import (
    GlobalAveragePooling3D as GlobalAveragePooling3D)
from keras_compat.layers.pooling.global_pooling import GlobalMaxPooling1D as GlobalMaxPooling1D
from keras_compat.layers.pooling.global_pooling import GlobalMaxPooling2D as GlobalMaxPooling2D
from keras_compat.layers.pooling.global_pooling import GlobalMaxPooling3D as GlobalMaxPooling3D
from keras_compat.layers.pooling.max_pooling import MaxPooling1D as MaxPooling1D
from keras_compat.layers.pooling.max_pooling import MaxPooling2D as MaxPooling2D
from keras_compat.layers.pooling.max_pooling import MaxPooling3D as MaxPooling3D

__all__ = ["AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D",
           "GlobalMaxPooling2D", "GlobalMaxPooling3D", "MaxPooling1D", "MaxPooling2D",
           "MaxPooling3D"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.engine.layer import Layer as Layer
from keras_compat._args.values import conv_output_length as conv_output_length
