"""``ActivityRegularization``: identity that adds an L1/L2 penalty on its input to the loss."""
from keras_compat import regularizers
from keras_compat._args import values
from keras_compat.engine.layer import Layer


class ActivityRegularization(Layer):
    """Layer that passes its input through and penalises it: ``sum(l1*|x|) + sum(l2*x**2)``.

    The penalty is summed over the whole batch and added, unscaled, to the loss of
    ``fit`` / ``train_on_batch`` and of ``evaluate`` / ``test_on_batch`` (Keras 1 built it
    into both the training and the test loss).

    # Arguments
        l1: L1 factor (float >= 0).
        l2: L2 factor (float >= 0).

    # Input shape / Output shape
        Arbitrary; the output is the input. Supports masking.

    # Torch mapping
        ``activity_regularizer = L1L2Regularizer(l1, l2)`` applied to the output at every
        forward (training and test phase).

    # Differences from Keras 1
        None.
    """

    supports_masking = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("l1", l1), ("l2", l2)):
            values.check_number("ActivityRegularization", arg, value, minimum=0)
        self.l1 = l1
        self.l2 = l2
        self.activity_regularizer = regularizers.L1L2Regularizer(l1=l1, l2=l2)

    def forward(self, x, mask=None):
        output = super().forward(x, mask)
        if not self.training:
            # Keras 1's test loss (evaluate) includes the activity penalty too.
            self._activity_loss = self.activity_regularizer(output)
        return output

    def extra_repr(self):
        return "name=%r, l1=%s, l2=%s" % (self.name, self.l1, self.l2)
