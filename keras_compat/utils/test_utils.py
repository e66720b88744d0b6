"""``keras.utils.test_utils``: Keras 1's test helpers, so users' own Keras-1 test suites run.

``layer_test`` keeps Keras 1's signature and runs keras_compat's full layer harness
(``keras_compat.testing.layer_test``: shapes, weights round trip, config and model JSON
round trips, save/load, a training step).
"""
import functools

import numpy as np

from keras_compat import backend as K
from keras_compat.engine.input_layer import Input as Input
from keras_compat.models.model import Model as Model
from keras_compat.models.sequential import Sequential as Sequential
from keras_compat.saving.model_config import model_from_json as model_from_json
from keras_compat.testing import layer_test as _harness

__all__ = ["get_test_data", "layer_test", "keras_test"]


def get_test_data(nb_train=1000, nb_test=500, input_shape=(10,), output_shape=(2,),
                  classification=True, nb_class=2):
    """Random train/test data; draws from NumPy's global RNG in Keras 1's order.

    Classification: ``y`` uniform integer classes, ``X ~ N(y, 0.7)``.  Regression:
    a location per sample ``~ U[0, 1)``, ``X`` and ``y`` normal around it (scale 0.7).
    Returns ``(X_train, y_train), (X_test, y_test)`` (float64, as in Keras 1).
    """
    nb_sample = nb_train + nb_test
    input_shape, output_shape = tuple(input_shape), tuple(output_shape)
    X = np.zeros((nb_sample,) + input_shape)
    if classification:
        y = np.random.randint(0, nb_class, size=(nb_sample,))
        for i in range(nb_sample):
            X[i] = np.random.normal(loc=y[i], scale=0.7, size=input_shape)
    else:
        locations = np.random.random((nb_sample,))
        y = np.zeros((nb_sample,) + output_shape)
        for i in range(nb_sample):
            X[i] = np.random.normal(loc=locations[i], scale=0.7, size=input_shape)
            y[i] = np.random.normal(loc=locations[i], scale=0.7, size=output_shape)
    return (X[:nb_train], y[:nb_train]), (X[nb_train:], y[nb_train:])


def layer_test(layer_cls, kwargs={}, input_shape=None, input_dtype=None, input_data=None,
               expected_output=None, expected_output_dtype=None, fixed_batch_size=False):
    """Keras 1's ``layer_test``: check ``layer_cls(**kwargs)`` and return its output.

    Without ``input_data``, random data ``10 * U[0, 1)`` of ``input_shape`` is drawn (``None``
    dimensions become random sizes 1-3, as in Keras 1).  The output dtype must equal
    ``expected_output_dtype`` (default: the input dtype).  ``fixed_batch_size`` builds the
    layer with the batch size fixed (for stateful layers) and checks shapes and the output.
    """
    if input_data is None:
        if input_shape is None:
            raise ValueError("layer_test needs input_shape or input_data")
        input_dtype = input_dtype or K.floatx()
        shape = [d if d is not None else np.random.randint(1, 4) for d in input_shape]
        input_data = (10 * np.random.random(shape)).astype(input_dtype)
    else:
        input_data = np.asarray(input_data)
        input_dtype = input_dtype or str(input_data.dtype)
    expected_output_dtype = expected_output_dtype or input_dtype
    if fixed_batch_size:
        actual = _fixed_batch_test(layer_cls, dict(kwargs), input_data, input_dtype)
        if expected_output is not None:
            np.testing.assert_allclose(actual, expected_output, rtol=1e-3)
    else:
        actual = _harness(layer_cls, dict(kwargs), input_dtype=str(np.dtype(input_dtype)),
                          input_data=input_data, expected_output=expected_output,
                          atol=1e-6 if expected_output is None else 1e-3,
                          require_learning=False)  # Keras 1 only ran the step
    assert str(actual.dtype) == str(np.dtype(expected_output_dtype)), \
        "output dtype %s, expected %s" % (actual.dtype, expected_output_dtype)
    return actual


def _fixed_batch_test(layer_cls, kwargs, input_data, input_dtype):
    layer = layer_cls(batch_input_shape=tuple(input_data.shape), input_dtype=str(input_dtype),
                      **kwargs)
    model = Sequential([layer])
    output = model.predict(input_data, batch_size=len(input_data))
    inferred = layer.output_shape
    assert len(inferred) == output.ndim, (inferred, output.shape)
    for want, got in zip(inferred, output.shape):
        assert want is None or want == got, "inferred %s, actual %s" % (inferred, output.shape)
    layer.set_weights(layer.get_weights())
    return output


def keras_test(func):
    """Decorator for tests: clears the session after the test on the tensorflow backend
    (resetting layer-name counters), as Keras 1's did."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        output = func(*args, **kwargs)
        if K.backend() == "tensorflow":
            K.clear_session()
        return output
    return wrapper
