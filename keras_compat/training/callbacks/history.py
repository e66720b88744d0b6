"""``History``: the object ``fit`` returns."""
import numpy as np

from keras_compat.training.scalars import Keras1Float64
from keras_compat.training.callbacks.base import Callback


class History(Callback):
    """Records every epoch's logs: ``history.history['loss']`` etc., and ``history.epoch``."""

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            # Keras 1's epoch averages were NumPy float64 values.
            if isinstance(value, (float, np.floating)):
                value = Keras1Float64(value)
            self.history.setdefault(key, []).append(value)
