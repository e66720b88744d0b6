"""``keras.layers``: every layer class, re-exported from its one-layer file."""
from keras_compat.engine.layer import Layer as Layer
from keras_compat.layers.core import Activation, Dense, Dropout, Flatten

__all__ = ["Activation", "Dense", "Dropout", "Flatten"]
