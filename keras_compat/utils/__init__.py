"""Utilities (Keras-1 ``keras.utils``)."""
