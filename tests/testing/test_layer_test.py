"""The layer harness itself (keras_compat.testing.layer_test): its training step must catch a
layer whose weights do not learn, and a layer whose loss is not finite."""
import numpy as np
import pytest

from keras_compat import backend as K
from keras_compat.engine.topology import Layer
from keras_compat.layers import Dense
from keras_compat.testing.layer_test import layer_test


class _Scale(Layer):
    """y = x * W; ``use`` says how W reaches the output (the ways a layer can fail to learn)."""

    def __init__(self, use="multiply", weights=None, **kwargs):
        self.use = use
        self.initial_weights = weights
        super(_Scale, self).__init__(**kwargs)

    def build(self, input_shape):
        constraint = (lambda w: w * 0) if self.use == "frozen_by_constraint" else None
        self.W = self.add_weight((input_shape[-1],), initializer="zero", name=self.name + "_W",
                                 constraint=constraint)
        if self.initial_weights is not None:
            self.set_weights(self.initial_weights)

    def call(self, x, mask=None):
        if self.use == "zero_gradient":
            return x + 0 * self.W
        if self.use == "not_finite":
            return x * self.W + K.log(x * 0 - 1)
        return x * (self.W + 1)

    def get_output_shape_for(self, input_shape):
        return input_shape

    def get_config(self):
        return dict(super(_Scale, self).get_config(), use=self.use)


def test_a_learning_layer_passes():
    layer_test(_Scale, kwargs={"use": "multiply"}, input_shape=(4, 3))


@pytest.mark.parametrize("use, message", [
    ("zero_gradient", "no trainable weight got a gradient"),
    ("frozen_by_constraint", "got a gradient but did not move"),
    ("not_finite", "training loss is not finite"),
])
def test_the_training_step_catches(use, message):
    with pytest.raises(AssertionError, match=message):
        layer_test(_Scale, kwargs={"use": use}, input_shape=(4, 3))


def test_check_training_false_skips_the_step():
    layer_test(_Scale, kwargs={"use": "zero_gradient"}, input_shape=(4, 3), check_training=False)


def test_returns_the_output_and_checks_expected_values():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    out = layer_test(Dense, kwargs={"output_dim": 2, "init": "one"}, input_data=x, expected_output=np.array([[3, 3], [12, 12]], "float32"),
                     expected_params=8)
    assert out.shape == (2, 2)
    with pytest.raises(AssertionError):
        layer_test(Dense, kwargs={"output_dim": 2}, input_data=x, expected_params=7)


def test_require_learning_false_accepts_a_step_that_reaches_no_weight():
    layer_test(_Scale, kwargs={"use": "zero_gradient"}, input_shape=(4, 3), require_learning=False)
    with pytest.raises(AssertionError, match="got a gradient but did not move"):
        layer_test(_Scale, kwargs={"use": "frozen_by_constraint"}, input_shape=(4, 3),
                   require_learning=False)


def test_keras1_facade_accepts_prelu_on_positive_inputs():
    # keras.utils.test_utils.layer_test feeds 10 * np.random.random(shape), as Keras 1.2.2 did:
    # all inputs positive, so PReLU's slopes get no gradient (Keras 1's test_prelu).
    from keras_compat.layers import PReLU
    from keras_compat.utils.test_utils import layer_test as keras1_layer_test
    keras1_layer_test(PReLU, kwargs={}, input_shape=(2, 3, 4))
