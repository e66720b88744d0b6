"""``keras.layers.local``."""
from keras_compat.layers.local.locally_connected import LocallyConnected1D as LocallyConnected1D
from keras_compat.layers.local.locally_connected import LocallyConnected2D as LocallyConnected2D

__all__ = ["LocallyConnected1D", "LocallyConnected2D"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.engine.layer import Layer as Layer
from keras_compat._args.values import conv_output_length as conv_output_length
