"""Keras-1 callbacks (the training loop calls them; models re-export them as keras.callbacks)."""
from keras_compat.training.callbacks.base import Callback, CallbackList
from keras_compat.training.callbacks.base_logger import BaseLogger
from keras_compat.training.callbacks.csv_logger import CSVLogger
from keras_compat.training.callbacks.early_stopping import EarlyStopping
from keras_compat.training.callbacks.history import History
from keras_compat.training.callbacks.lambda_callback import LambdaCallback
from keras_compat.training.callbacks.learning_rate_scheduler import LearningRateScheduler
from keras_compat.training.callbacks.model_checkpoint import ModelCheckpoint
from keras_compat.training.callbacks.progbar_logger import ProgbarLogger
from keras_compat.training.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from keras_compat.training.callbacks.remote_monitor import RemoteMonitor
from keras_compat.training.callbacks.tensorboard import TensorBoard

__all__ = ["Callback", "CallbackList", "BaseLogger", "History", "ProgbarLogger",
           "ModelCheckpoint", "EarlyStopping", "LearningRateScheduler", "ReduceLROnPlateau",
           "CSVLogger", "LambdaCallback", "TensorBoard", "RemoteMonitor"]
