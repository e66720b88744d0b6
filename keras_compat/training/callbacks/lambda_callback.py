"""``LambdaCallback``: a callback built from plain functions."""
from keras_compat.training.callbacks.base import Callback

_HOOKS = ("on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end", "on_train_begin",
          "on_train_end")


def _noop(*args, **kwargs):
    return None


class LambdaCallback(Callback):
    """Callback whose hooks are the given functions; missing hooks do nothing.

    # Arguments
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_batch_begin, on_batch_end: ``f(batch, logs)``.
        on_train_begin, on_train_end: ``f(logs)``.
        **kwargs: extra attributes set on the callback (as in Keras 1).
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        given = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_batch_begin=on_batch_begin, on_batch_end=on_batch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end)
        for name in _HOOKS:
            function = given[name]
            if function is not None and not callable(function):
                raise TypeError("LambdaCallback: %s must be a function, got %r" % (name, function))
            setattr(self, name, function if function is not None else _noop)
        self._batch_hooks = on_batch_begin is not None or on_batch_end is not None

    def wants_batch_logs(self):
        return self._batch_hooks
