"""``keras.callbacks``: the Keras-1 callback classes."""
from keras_compat.training.callbacks import (BaseLogger, Callback, CallbackList, History,
                                             ProgbarLogger)

__all__ = ["BaseLogger", "Callback", "CallbackList", "History", "ProgbarLogger"]
