"""``keras.callbacks``: the Keras-1 callback classes."""
from keras_compat.training.callbacks import (BaseLogger, Callback, CallbackList, CSVLogger,
                                             EarlyStopping, History, LambdaCallback,
                                             LearningRateScheduler, ModelCheckpoint,
                                             ProgbarLogger, ReduceLROnPlateau, RemoteMonitor,
                                             TensorBoard)

__all__ = ["BaseLogger", "Callback", "CallbackList", "CSVLogger", "EarlyStopping", "History",
           "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger",
           "ReduceLROnPlateau", "RemoteMonitor", "TensorBoard"]
