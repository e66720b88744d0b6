"""``Callback`` and ``CallbackList`` with the Keras-1 hooks."""
import collections
import time
import warnings

import numpy as np


class Callback:
    """Base class for callbacks: ``self.model``, ``self.params`` and the Keras-1 hooks."""

    def __init__(self):
        self.model = None
        self.params = {}
        self.validation_data = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    # Internal callbacks set this: they accept lazy (0-d tensor) batch values, so the loop
    # does not have to synchronise with the device after every batch for their sake.
    accepts_tensor_logs = False

    def wants_batch_logs(self):
        """Whether this callback reads per-batch values (it overrides a batch hook)."""
        cls = type(self)
        return (cls.on_batch_end is not Callback.on_batch_end
                or cls.on_batch_begin is not Callback.on_batch_begin)


class CallbackList:
    """Calls each callback's hook in order.

    As Keras 1, it times the batch hooks: when the median of the last ``queue_length`` calls
    of ``on_batch_begin``/``on_batch_end`` exceeds 0.1 s and 95% of the batch update's time,
    it warns ``Method on_batch_end() is slow compared to the batch update (...)``.
    """

    def __init__(self, callbacks=None, queue_length=10):
        self.callbacks = list(callbacks or [])
        self.queue_length = queue_length
        self._reset_timing()

    def _reset_timing(self):
        self._delta_t_batch = 0.
        self._delta_ts_batch_begin = collections.deque([], maxlen=self.queue_length)
        self._delta_ts_batch_end = collections.deque([], maxlen=self.queue_length)
        self._t_enter_batch = None

    def _warn_if_slow(self, hook, timings):
        median = float(np.median(timings))
        if self._delta_t_batch > 0. and median > 0.95 * self._delta_t_batch and median > 0.1:
            warnings.warn('Method %s() is slow compared to the batch update (%f). Check your '
                          'callbacks.' % (hook, median))

    def append(self, callback):
        self.callbacks.append(callback)

    def set_params(self, params):
        for callback in self.callbacks:
            callback.set_params(params)

    def set_model(self, model):
        for callback in self.callbacks:
            callback.set_model(model)

    def needs_float_batch_logs(self):
        """True when a callback outside the engine's own reads batch values as Python floats."""
        return any(cb.wants_batch_logs() and not cb.accepts_tensor_logs for cb in self.callbacks)

    def needs_batch_hooks(self):
        return any(cb.wants_batch_logs() for cb in self.callbacks)

    def on_epoch_begin(self, epoch, logs=None):
        logs = {} if logs is None else logs
        self._reset_timing()
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_epoch_end(epoch, logs)

    def on_batch_begin(self, batch, logs=None):
        logs = {} if logs is None else logs
        started = time.time()
        for callback in self.callbacks:
            callback.on_batch_begin(batch, logs)
        self._delta_ts_batch_begin.append(time.time() - started)
        self._warn_if_slow("on_batch_begin", self._delta_ts_batch_begin)
        self._t_enter_batch = time.time()

    def on_batch_end(self, batch, logs=None):
        logs = {} if logs is None else logs
        if self._t_enter_batch is None:
            self._t_enter_batch = time.time()
        self._delta_t_batch = time.time() - self._t_enter_batch
        started = time.time()
        for callback in self.callbacks:
            callback.on_batch_end(batch, logs)
        self._delta_ts_batch_end.append(time.time() - started)
        self._warn_if_slow("on_batch_end", self._delta_ts_batch_end)

    def on_train_begin(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_begin(logs)

    def on_train_end(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_end(logs)
