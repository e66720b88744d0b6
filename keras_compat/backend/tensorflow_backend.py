"""``keras.backend.tensorflow_backend``: keras.backend with Keras 1.2.2's TensorFlow
conventions (see ``emulated``)."""
import sys

from keras_compat.backend.emulated import EmulatedBackend

_module = EmulatedBackend(__name__, "tensorflow")
_module.__file__ = __file__
sys.modules[__name__] = _module
