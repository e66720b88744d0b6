"""``EarlyStopping``: stop training when a monitored value stops improving."""
import warnings

import numpy as np

from keras_compat.training.callbacks._monitor import as_number, resolve_mode
from keras_compat.training.callbacks.base import Callback


class EarlyStopping(Callback):
    """Stop training when ``monitor`` has stopped improving.

    # Arguments
        monitor: the log key to watch.
        min_delta: the smallest change that counts as an improvement.
        patience: Keras-1 counting: training stops at the ``patience + 1``-th consecutive
            epoch without improvement (Keras 2 stops one epoch earlier).
        verbose: 1 prints ``Epoch %05d: early stopping`` at the end of training.
        mode: ``auto``, ``min`` or ``max``.

    # Differences from Keras 1
        A monitor missing from the logs warns as in Keras 1 and then raises a
        ``ValueError`` naming the available keys (Keras 1 crashed with a ``TypeError``).
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto"):
        super().__init__()
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.wait = 0
        self.stopped_epoch = 0
        self.mode = resolve_mode(mode, monitor, "EarlyStopping")
        self.monitor_op = np.greater if self.mode == "max" else np.less
        self.min_delta = min_delta if self.mode == "max" else -min_delta

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = -np.inf if self.monitor_op is np.greater else np.inf

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn("Early stopping requires %s available!" % self.monitor, RuntimeWarning)
            raise ValueError("EarlyStopping(monitor=%r): %r is not in the epoch logs (available: "
                             "%s); validation keys need validation data"
                             % (self.monitor, self.monitor, ", ".join(sorted(logs)) or "none"))
        current = as_number(current)
        if self.monitor_op(current - self.min_delta, self.best):
            self.best = current
            self.wait = 0
            return
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
        self.wait += 1

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print("Epoch %05d: early stopping" % self.stopped_epoch)
