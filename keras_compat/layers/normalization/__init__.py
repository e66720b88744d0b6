"""``keras.layers.normalization``."""
from keras_compat.layers.normalization.batch_normalization import (
    BatchNormalization as BatchNormalization)

__all__ = ["BatchNormalization"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.engine.layer import Layer as Layer
