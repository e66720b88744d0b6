"""Keras-1 callbacks (the training loop calls them; models re-export them as keras.callbacks)."""
from keras_compat.training.callbacks.base import Callback, CallbackList
from keras_compat.training.callbacks.base_logger import BaseLogger
from keras_compat.training.callbacks.history import History
from keras_compat.training.callbacks.progbar_logger import ProgbarLogger

__all__ = ["Callback", "CallbackList", "BaseLogger", "History", "ProgbarLogger"]
