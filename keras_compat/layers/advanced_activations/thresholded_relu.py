"""``ThresholdedReLU``: passes values above a threshold, zeroes the rest."""
import numpy as np

from keras_compat._args import values
from keras_compat.engine.layer import Layer


class ThresholdedReLU(Layer):
    """Thresholded Rectified Linear Unit: ``f(x) = x`` for ``x > theta``, ``0`` otherwise.

    # Arguments
        theta: float >= 0, the threshold (default 1.0); stored as float32 like Keras 1.

    # Input shape / Output shape
        Arbitrary; the output has the shape of the input. Supports masking.

    # Torch mapping
        ``x * (x > theta)`` (a multiply, as Keras 1, so NaNs propagate the same way).

    # Differences from Keras 1
        None.
    """

    supports_masking = True

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        values.check_number("ThresholdedReLU", "theta", theta)
        self.theta = float(np.float32(theta))

    def call(self, x, mask=None):
        return x * (x > self.theta).to(x.dtype)

    def extra_repr(self):
        return "name=%r, theta=%s" % (self.name, self.theta)
