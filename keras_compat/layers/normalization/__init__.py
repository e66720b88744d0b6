"""``keras.layers.normalization``."""
from keras_compat.layers.normalization.batch_normalization import (
    BatchNormalization as BatchNormalization)

__all__ = ["BatchNormalization"]
