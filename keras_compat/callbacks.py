"""``keras.callbacks``: the Keras-1 callback classes."""
from keras_compat.training.callbacks import (BaseLogger, Callback, CallbackList, CSVLogger,
                                             EarlyStopping, History, LambdaCallback,
                                             LearningRateScheduler, ModelCheckpoint,
                                             ProgbarLogger, ReduceLROnPlateau, RemoteMonitor,
                                             TensorBoard)
from keras_compat.training.progbar import Progbar as Progbar  # Keras 1 imported it here

__all__ = ["BaseLogger", "Callback", "CallbackList", "CSVLogger", "EarlyStopping", "History",
           "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger",
           "ReduceLROnPlateau", "RemoteMonitor", "TensorBoard"]
