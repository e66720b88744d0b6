"""``BaseLogger``: epoch averages of the per-batch training values."""
from keras_compat.training.callbacks.base import Callback


class BaseLogger(Callback):
    """Accumulates ``value * batch_size`` per metric and writes the epoch averages into the logs.

    Values may arrive as 0-d tensors; they are summed on their device and converted
    to floats once per epoch.
    """

    accepts_tensor_logs = True

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.totals = {}

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        size = logs.get("size", 0)
        self.seen += size
        for key, value in logs.items():
            if key in ("batch", "size"):
                continue
            if key in self.totals:
                self.totals[key] = self.totals[key] + value * size
            else:
                self.totals[key] = value * size

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for key in self.params.get("metrics", ()):
            if key in self.totals:
                logs[key] = float(self.totals[key]) / self.seen
