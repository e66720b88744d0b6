"""Data preprocessing (Keras-1 ``keras.preprocessing``): ``sequence``, ``text`` and ``image``."""
from keras_compat.preprocessing import image, sequence, text

__all__ = ["image", "sequence", "text"]
