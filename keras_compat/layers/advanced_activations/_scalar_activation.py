"""The base of the element-wise activations set by one fixed number (ELU's ``alpha``,
LeakyReLU's ``alpha``, ThresholdedReLU's ``theta``): the argument check, masks passed through
unchanged, and the repr."""
import numpy as np

from keras_compat._args import values
from keras_compat.engine.layer import Layer


class ScalarActivation(Layer):
    """An element-wise activation with one number, named by ``scalar_name``; the output has the
    input's shape and a mask passes through."""

    family_base = True  # shared code, not a Keras-1 layer: configs cannot name it

    supports_masking = True
    scalar_name = "alpha"

    def _set_scalar(self, value, as_float32=False):
        """Check ``value`` and keep it (``as_float32``: rounded to float32, as Keras 1 stored it
        in a backend variable, so ``get_config()`` shows e.g. 0.30000001192092896)."""
        values.check_number(type(self).__name__, self.scalar_name, value)
        setattr(self, self.scalar_name, float(np.float32(value)) if as_float32 else value)

    def extra_repr(self):
        return "name=%r, %s=%s" % (self.name, self.scalar_name, getattr(self, self.scalar_name))
