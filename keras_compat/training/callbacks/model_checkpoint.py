"""``ModelCheckpoint``: save the model (or its weights) after epochs."""
import os

import numpy as np

from keras_compat.training.callbacks._monitor import monitored_value, resolve_mode
from keras_compat.training.callbacks.base import Callback


class ModelCheckpoint(Callback):
    """Save the model after every ``period`` epochs.

    # Arguments
        filepath: where to save; may hold ``str.format`` fields filled with ``epoch``
            (0-based, as in Keras 1) and the epoch's log keys, e.g.
            ``weights.{epoch:02d}-{val_loss:.2f}.hdf5``.
        monitor: the log key compared by ``save_best_only``.
        verbose: 1 prints a line per save decision.
        save_best_only: save only when ``monitor`` improved on the best value so far.
        save_weights_only: ``model.save_weights(filepath)`` instead of ``model.save``.
        mode: ``auto``, ``min`` or ``max`` (auto: max for names containing ``acc`` or
            starting with ``fmeasure``, else min).
        period: epochs between checkpoints.

    # Differences from Keras 1
        Writes are atomic (a temporary file renamed over the target), and a folder that
        does not exist is reported before training starts (or at save time when the
        folder part of the path is a template), not as an HDF5 error.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", period=1):
        super().__init__()
        if not isinstance(filepath, str) or not filepath:
            raise ValueError("ModelCheckpoint: filepath must be a non-empty string, got %r"
                             % (filepath,))
        self.filepath = filepath
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.period = period
        self.epochs_since_last_save = 0
        self.mode = resolve_mode(mode, monitor, "ModelCheckpoint")
        if self.mode == "max":
            self.monitor_op, self.best = np.greater, -np.inf
        else:
            self.monitor_op, self.best = np.less, np.inf

    def on_train_begin(self, logs=None):
        folder = os.path.dirname(self.filepath)
        if folder and "{" not in folder:
            self._check_folder(self.filepath)
        if not self.save_weights_only and not callable(getattr(self.model, "save", None)):
            raise self._no_save_error()

    def _no_save_error(self):
        return AttributeError(
            "ModelCheckpoint(save_weights_only=False) calls model.save(), which %s does not "
            "offer; pass save_weights_only=True to save the weights instead"
            % type(self.model).__name__)

    @staticmethod
    def _check_folder(path):
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise FileNotFoundError("ModelCheckpoint cannot save to %r: the folder %r does not "
                                    "exist (create it before training)" % (path, folder))

    def _format(self, epoch, logs):
        try:
            return self.filepath.format(epoch=epoch, **logs)
        except KeyError as exc:
            raise KeyError("ModelCheckpoint: the filepath %r uses {%s}, which is not in this "
                           "epoch's logs (available: epoch, %s)"
                           % (self.filepath, exc.args[0], ", ".join(sorted(logs)))) from None

    def _save(self, filepath):
        self._check_folder(filepath)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            save = getattr(self.model, "save", None)
            if not callable(save):
                raise self._no_save_error()
            save(filepath, overwrite=True)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epochs_since_last_save += 1
        if self.epochs_since_last_save < self.period:
            return
        self.epochs_since_last_save = 0
        filepath = self._format(epoch, logs)
        if not self.save_best_only:
            if self.verbose > 0:
                print("Epoch %05d: saving model to %s" % (epoch, filepath))
            self._save(filepath)
            return
        current = monitored_value(
            logs, self.monitor, "Can save best model only with %s available, skipping."
            % self.monitor)
        if current is None:
            return
        if self.monitor_op(current, self.best):
            if self.verbose > 0:
                print("Epoch %05d: %s improved from %0.5f to %0.5f, saving model to %s"
                      % (epoch, self.monitor, self.best, current, filepath))
            self.best = current
            self._save(filepath)
        elif self.verbose > 0:
            print("Epoch %05d: %s did not improve" % (epoch, self.monitor))
