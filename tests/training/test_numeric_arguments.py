"""Bad numeric arguments are refused with the argument and the value named."""
import numpy as np
import pytest

from keras_compat.layers import Dense, Embedding
from keras_compat.models import Sequential


def _model():
    model = Sequential([Dense(2, input_dim=3)])
    model.compile("sgd", "mse")
    return model


X, Y = np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32")


@pytest.mark.parametrize("call, message", [
    (lambda m: m.fit(X, Y, batch_size=0, verbose=0),
     "fit: batch_size must be a positive integer, got 0"),
    (lambda m: m.fit(X, Y, nb_epoch=-1, verbose=0),
     "fit: nb_epoch must be a non-negative integer, got -1"),
    (lambda m: m.fit(X, Y, nb_epoch=1, initial_epoch=-2, verbose=0),
     "fit: initial_epoch must be a non-negative integer, got -2"),
    (lambda m: m.predict(X, batch_size=-1),
     "predict: batch_size must be a positive integer, got -1"),
    (lambda m: m.evaluate(X, Y, batch_size=2.5, verbose=0),
     "evaluate: batch_size must be a positive integer, got 2.5"),
])
def test_bad_loop_arguments(call, message):
    model = _model()
    before = model.get_weights()
    with pytest.raises(ValueError) as info:
        call(model)
    assert str(info.value) == message
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_zero_epochs_is_allowed():
    assert _model().fit(X, Y, nb_epoch=0, verbose=0).history == {}


def test_negative_input_sizes():
    with pytest.raises(ValueError) as info:
        Dense(3, input_dim=-4, name="d")
    assert str(info.value) == ("Dense (d): the input shape (input_dim / input_length / "
                               "input_shape / batch_input_shape) must hold positive sizes "
                               "or None, got (-4,)")
    with pytest.raises(ValueError, match=r"Embedding \(e\): the input shape .* got \(0,\)"):
        Embedding(10, 3, input_length=0, name="e")
