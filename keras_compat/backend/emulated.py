"""``keras.backend.theano_backend`` / ``keras.backend.tensorflow_backend``: keras.backend with
one Keras-1 backend's conventions whatever the configured backend is.

Every public function of ``keras.backend`` is reachable from both modules and runs with the
module's backend emulated (return conventions, Theano's kernel flip, ...), so code that
compared the two backends of Keras 1.2.2 side by side runs on both emulations.
"""
import functools
import types

from keras_compat import backend as K
from keras_compat.backend import config


class EmulatedBackend(types.ModuleType):
    """A module whose attributes are ``keras.backend``'s functions run under ``backend``."""

    def __init__(self, name, backend):
        super().__init__(name, __doc__)
        self._emulated = backend

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        target = getattr(K, name)
        if not callable(target) or isinstance(target, type):
            return target

        @functools.wraps(target)
        def call(*args, **kwargs):
            with config.emulating(self._emulated):
                return target(*args, **kwargs)
        return call

    def __dir__(self):
        return sorted(set(dir(K)) | set(super().__dir__()))
