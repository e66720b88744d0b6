"""``keras.layers.local``."""
from keras_compat.layers.local.locally_connected import LocallyConnected1D as LocallyConnected1D
from keras_compat.layers.local.locally_connected import LocallyConnected2D as LocallyConnected2D

__all__ = ["LocallyConnected1D", "LocallyConnected2D"]
