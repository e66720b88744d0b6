"""``keras.engine.training.slice_X`` (addition_rnn.py imports it from there)."""
import numpy as np

from keras_compat.engine import training


def test_slice_x_ranges_indices_and_lists():
    x = np.arange(12).reshape(6, 2)
    np.testing.assert_array_equal(training.slice_X(x, 0, 4), x[:4])
    np.testing.assert_array_equal(training.slice_X(x, 4), x[4:])
    np.testing.assert_array_equal(training.slice_X(x, np.array([5, 0, 5])), x[[5, 0, 5]])
    np.testing.assert_array_equal(training.slice_X(x, [1, 2], 99), x[[1, 2]])  # stop ignored
    first, second = training.slice_X([x, x * 10], 2, 3)
    np.testing.assert_array_equal(first, x[2:3])
    np.testing.assert_array_equal(second, x[2:3] * 10)

