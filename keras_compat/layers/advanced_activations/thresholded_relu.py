"""``ThresholdedReLU``: passes values above a threshold, zeroes the rest."""

from keras_compat.layers.advanced_activations._scalar_activation import ScalarActivation


class ThresholdedReLU(ScalarActivation):
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

    scalar_name = "theta"

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        self._set_scalar(theta, as_float32=True)

    def call(self, x, mask=None):
        return x * (x > self.theta).to(x.dtype)
