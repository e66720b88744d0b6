"""``ReduceLROnPlateau``: lower the learning rate when a monitored value plateaus."""
import warnings

import numpy as np

from keras_compat.training.callbacks._monitor import get_lr, monitored_value, set_lr
from keras_compat.training.callbacks.base import Callback


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stops improving.

    # Arguments
        monitor: the log key to watch.
        factor: the multiplier (< 1).
        patience: Keras-1 counting: the first reduction comes after ``patience + 1``
            epochs without improvement, later ones every ``patience`` epochs.
        verbose: 1 prints ``Epoch %05d: reducing learning rate to %s.``.
        mode: ``auto`` (max when ``'acc'`` is in the name, else min), ``min`` or ``max``.
        epsilon: the threshold for measuring a new optimum.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: lower bound on the learning rate.

    Puts the current learning rate into the epoch logs as ``lr`` (a 0-d float32 array).
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 epsilon=1e-4, cooldown=0, min_lr=0):
        super().__init__()
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0.")
        self.monitor = monitor
        self.factor = factor
        self.min_lr = min_lr
        self.epsilon = epsilon
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.mode = mode
        self._reset()

    def _reset(self):
        if self.mode not in ("auto", "min", "max"):
            warnings.warn("Learning Rate Plateau Reducing mode %s is unknown, fallback to auto "
                          "mode." % self.mode, RuntimeWarning)
            self.mode = "auto"
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: np.less(a, b - self.epsilon)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.epsilon)
            self.best = -np.inf
        self.cooldown_counter = 0
        self.wait = 0
        self.lr_epsilon = self.min_lr * 1e-4

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["lr"] = np.array(get_lr(self.model, "ReduceLROnPlateau"), dtype=np.float32)  # a copy
        current = monitored_value(
            logs, self.monitor, "Learning Rate Plateau Reducing requires %s available!"
            % self.monitor)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            if self.wait >= self.patience:
                old_lr = float(get_lr(self.model, "ReduceLROnPlateau"))
                if old_lr > self.min_lr + self.lr_epsilon:
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    set_lr(self.model, new_lr, "ReduceLROnPlateau")
                    if self.verbose > 0:
                        print("\nEpoch %05d: reducing learning rate to %s." % (epoch, new_lr))
                    self.cooldown_counter = self.cooldown
                    self.wait = 0
            self.wait += 1
