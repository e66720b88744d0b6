"""``ProgbarLogger``: the Keras-1 ``Epoch i/n`` and progress-bar lines (counts samples)."""
import time

from keras_compat.training.callbacks.base import Callback
from keras_compat.training.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints Keras 1's progress bar.

    Batch values are summed lazily and converted to floats only when a line is drawn
    (at most every ``interval`` seconds, Keras 1's rate), which keeps the device busy.
    Feeding the Progbar the average over the samples since the last draw reproduces
    exactly the sample-weighted running average Keras 1 displayed.
    """

    accepts_tensor_logs = True
    interval = 0.05

    def on_train_begin(self, logs=None):
        self.verbose = self.params["verbose"]
        self.nb_epoch = self.params["nb_epoch"]

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose:
            print("Epoch %d/%d" % (epoch + 1, self.nb_epoch))
            self.progbar = Progbar(target=self.params["nb_sample"], verbose=self.verbose)
        self.seen = 0
        self._pending = {}
        self._pending_count = 0
        self._last_draw = 0.0

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        size = logs.get("size", 0)
        self.seen += size
        self._pending_count += size
        for key in self.params["metrics"]:
            if key in logs:
                value = logs[key] * size
                self._pending[key] = self._pending[key] + value if key in self._pending else value
        if self.verbose == 1 and self.seen < self.params["nb_sample"]:
            now = time.time()
            if now - self._last_draw >= self.interval:
                self._last_draw = now
                self.progbar.update(self.seen, self._take_pending())

    def _take_pending(self):
        count = self._pending_count
        values = [(key, float(total) / count) for key, total in self._pending.items()]
        self._pending = {}
        self._pending_count = 0
        return values

    def on_epoch_end(self, epoch, logs=None):
        if not self.verbose:
            return
        values = self._take_pending() if self._pending_count else []
        pending = dict(values)
        logs = logs or {}
        shown = []
        for key in self.params["metrics"]:
            if key in pending:
                shown.append((key, pending[key]))
            elif key in logs:
                shown.append((key, float(logs[key])))
        self.progbar.update(self.seen, shown, force=True)
