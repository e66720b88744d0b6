"""keras.backend's surface and conventions against real Keras 1.2.2: every function of its
TensorFlow and Theano backends with the same argument names, order and defaults (tables in
tests/data/oracle/backend/, made by tools/oracle_cases/backend_signatures.py), symbolic use
with placeholders, and the return conventions that differ between the two backends."""
import inspect
import warnings

import numpy as np
import pytest

from keras_compat import backend as K
from keras_compat.backend import config

import reference_data

def _table():
    merged = {}
    for backend in ("tensorflow", "theano"):
        table = reference_data.load_json("oracle", "backend", "signatures_%s.json" % backend)
        for name, spec in table.items():
            merged.setdefault(name, {})[backend] = spec
    return merged


TABLE = _table()
# Keras 1.2.2 modules imported into keras.backend that are not backend functions.
NOT_BACKEND = {"print_function", "absolute_import", "division"}


@pytest.mark.parametrize("name", sorted(set(TABLE) - NOT_BACKEND))
def test_function_exists_with_keras1_signature(name):
    ours = getattr(K, name, None)
    assert callable(ours), "K.%s is missing" % name
    params = list(inspect.signature(ours).parameters.values())
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    candidates = []
    for spec in TABLE[name].values():
        candidates.append(spec["args"])
    # The union of both backends: our argument list is the longer one where they differ
    # (TensorFlow's random_*_variable took a seed, Theano's conv3d a filter_dilation).
    longest = max(candidates, key=len)
    assert names == longest, (name, names, candidates)
    spec = [s for s in TABLE[name].values() if s["args"] == longest][0]
    defaults = spec["defaults"]
    ours_defaults = [repr(p.default) for p in params
                     if p.default is not p.empty and p.name in names]
    assert ours_defaults == spec["defaults"], (name, ours_defaults, spec["defaults"])
    if spec["keywords"]:
        assert any(p.kind == p.VAR_KEYWORD for p in params), name


def test_session_functions_explain_themselves():
    for call in (K.get_session, lambda: K.set_session(None),
                 lambda: K.manual_variable_initialization(True)):
        with pytest.raises(NotImplementedError, match="PyTorch"):
            call()
    assert K.manual_variable_initialization(False) is None


def test_keras1_keyword_names():
    K.set_epsilon(e=1e-5)
    K.set_floatx(floatx="float64")
    K.set_image_dim_ordering(dim_ordering="th")
    assert (K.epsilon(), K.floatx(), K.image_dim_ordering()) == (1e-5, "float64", "th")
    x = K.variable(np.ones(2))
    assert K.eval(K.stop_gradient(variables=x)).tolist() == [1., 1.]
    with pytest.raises(ValueError, match="Unknown floatx type: 'beerfloat'"):
        K.set_floatx("beerfloat")


def test_placeholder_expressions_evaluate_and_differentiate():
    x = K.variable(np.arange(6.).reshape(2, 3))
    y = K.placeholder(ndim=2)
    expression = K.square(x) + y
    assert K.int_shape(expression) == (2, 3)
    assert K.int_shape(K.dot(K.placeholder(shape=(None, 3)), K.ones((3, 4)))) == (None, 4)
    f = K.function([y], [expression], updates=[(x, x * 2)])
    out, = f([np.ones((2, 3))])
    np.testing.assert_allclose(out, np.arange(6.).reshape(2, 3) ** 2 + 1)
    np.testing.assert_allclose(K.get_value(x), np.arange(6.).reshape(2, 3) * 2)
    # Expressions over variables are recomputed from their current values on every run.
    out, = f([np.ones((2, 3))])
    np.testing.assert_allclose(out, (np.arange(6.).reshape(2, 3) * 2) ** 2 + 1)
    np.testing.assert_allclose(K.get_value(x), np.arange(6.).reshape(2, 3) * 4)
    # An update op computes its new value from the variable's value when it runs.
    g = K.function([y], [K.sum(y)], updates=[K.update_add(x, y)])
    g([np.ones((2, 3))])
    g([np.ones((2, 3))])
    np.testing.assert_allclose(K.get_value(x), np.arange(6.).reshape(2, 3) * 4 + 2)
    p = K.placeholder(shape=(None, 3))
    loss = K.sum(K.square(p) * 3.)
    grad, = K.gradients(loss, [p])
    np.testing.assert_allclose(K.function([p], [grad])([np.ones((4, 3))])[0], 6 * np.ones((4, 3)))
    with pytest.raises(ValueError, match="You must feed a value for placeholder"):
        K.eval(K.square(p))


def test_gradients_return_convention_follows_the_backend():
    x = K.variable(np.arange(3.))
    assert isinstance(K.gradients(K.sum(x * x), x), list)
    config.set_backend("theano")
    grad = K.gradients(K.sum(x * x), x)
    np.testing.assert_allclose(K.eval(grad), [0., 2., 4.])
    assert isinstance(K.gradients(K.sum(x * x), [x]), list)


def test_update_conventions_follow_the_backend():
    x = K.variable(np.zeros(2))
    op = K.update_add(x, 1.)
    assert K.get_value(x).tolist() == [0., 0.]  # TensorFlow assigns when the op runs
    assert K.eval(op).tolist() == [1., 1.]
    K.function([], [], updates=[op])([])
    assert K.get_value(x).tolist() == [2., 2.]
    config.set_backend("theano")
    variable, new_value = K.moving_average_update(x, K.zeros(2), 0.5)
    assert variable is x
    K.function([], [], updates=[(variable, new_value)])([])
    assert K.get_value(x).tolist() == [1., 1.]
    with pytest.raises(TypeError, match="update tuple"):
        K.eval(K.update(x, K.zeros(2)))


def test_function_keywords_per_backend():
    p = K.placeholder(ndim=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        K.function([p], [p], foo=1)
    assert "kwargs passed to function are ignored with Tensorflow backend" in str(caught[0].message)
    config.set_backend("theano")
    with pytest.raises(ValueError, match='Invalid argument "foo" passed to K.function'):
        K.function([p], [p], foo=1)
    K.function([p], [p], on_unused_input="ignore")


def test_scalar_results_per_backend():
    x = K.variable(np.arange(3.))
    assert isinstance(K.eval(K.sum(x)), np.float32)
    assert K.dtype(x) == "float32_ref" and K.dtype(K.sum(x)) == "float32"
    config.set_backend("theano")
    assert isinstance(K.eval(K.sum(x)), np.ndarray) and K.eval(K.sum(x)).shape == ()
    assert K.dtype(x) == "float32"
    with pytest.raises(TypeError, match="use eval"):
        K.get_value(K.placeholder(ndim=1) * 2)


def test_batch_dot_of_matrices_per_backend():
    ones = K.ones((32, 20))
    np.testing.assert_allclose(K.eval(K.batch_dot(ones, ones, axes=1)), 20 * np.ones((32, 1)))
    np.testing.assert_allclose(K.eval(K.batch_dot(ones, ones, axes=0)), 32 * np.ones((20, 1)))
    config.set_backend("theano")
    with pytest.raises(ValueError, match="batch axis"):
        K.batch_dot(ones, ones, axes=0)


def test_higher_order_functions():
    x = np.random.rand(10, 3).astype("float32")
    np.testing.assert_allclose(K.eval(K.map_fn(K.sum, x)), x.sum(1), rtol=1e-6)
    np.testing.assert_allclose(K.eval(K.foldl(lambda a, b: a + b, x)), x.sum(0), rtol=1e-6)
    values = np.array([1e-20, 1e-20, 10, 10, 10], dtype="float32")
    left = K.eval(K.foldl(lambda a, b: a * b, values))
    right = K.eval(K.foldr(lambda a, b: a * b, values))
    assert left < right and 9e-38 < right <= 1e-37


def test_bad_arguments_name_the_function_and_argument():
    x = K.ones((1, 4, 4, 2))
    with pytest.raises(ValueError, match=r"K.conv2d: unknown dim_ordering 'xx'"):
        K.conv2d(x, K.ones((2, 2, 2, 1)), dim_ordering="xx")
    with pytest.raises(ValueError, match=r"K.conv2d: invalid border_mode 'full'"):
        K.conv2d(x, K.ones((2, 2, 2, 1)), border_mode="full", dim_ordering="tf")
    with pytest.raises(ValueError, match=r"K.pool2d: invalid pool_mode 'median'"):
        K.pool2d(x, (2, 2), pool_mode="median", dim_ordering="tf")
    with pytest.raises(ValueError, match=r"K.conv2d: the kernel expects 3 input channels"):
        K.conv2d(x, K.ones((2, 2, 3, 1)), dim_ordering="tf")
    with pytest.raises(ValueError, match=r"K.squeeze: axis 1"):
        K.squeeze(x, 1)
    with pytest.raises(ValueError, match="Expected learning phase to be 0 or 1"):
        K.set_learning_phase(2)


def test_torch_written_code_runs_on_placeholders():
    # Code written for torch tensors (methods and torch functions) builds expressions too.
    from keras_compat import activations
    x = K.placeholder(ndim=2)
    assert x.dim() == 2
    f = K.function([x], [activations.softmax(x), x.sum(-1), (x * 2).permute(1, 0)])
    values = np.array([[0., 0.1, 0.5, 0.9, 1.0]], dtype="float32")
    soft, summed, permuted = f([values])
    np.testing.assert_allclose(soft, np.exp(values) / np.exp(values).sum(), rtol=1e-5)
    np.testing.assert_allclose(summed, values.sum(-1), rtol=1e-6)
    assert permuted.shape == (5, 1)
    with pytest.raises(AttributeError):
        x.no_such_method


def test_functions_returning_several_tensors_unpack_on_placeholders():
    x = K.placeholder(shape=(None, 5, 3))
    normed, mean, var = K.normalize_batch_in_training(x, K.ones(3), K.zeros(3), [0, 1])
    assert (K.int_shape(normed), K.int_shape(mean)) == ((None, 5, 3), (3,))
    kernel = K.variable(np.eye(3, 4))

    def step(inputs, states):
        output = K.dot(inputs, kernel) + states[0]
        return output, [output]
    initial = K.placeholder(shape=(None, 4))
    last, outputs, states = K.rnn(step, x, [initial])
    assert len(states) == 1 and K.int_shape(outputs) == (None, 5, 4)
    values = np.random.RandomState(0).rand(2, 5, 3).astype("float32")
    f = K.function([x, initial], [mean, var, last])
    got_mean, got_var, got_last = f([values, np.zeros((2, 4), "float32")])
    np.testing.assert_allclose(got_mean, values.mean((0, 1)), rtol=1e-5)
    np.testing.assert_allclose(got_var, values.var((0, 1)), rtol=1e-4)
    np.testing.assert_allclose(got_last, (values @ np.eye(3, 4)).sum(1), rtol=1e-5)
    with pytest.raises(TypeError, match="cannot be iterated"):
        list(x)


def test_torch_errors_name_the_k_function():
    with pytest.raises(ValueError, match=r"^K.dot: mat1 and mat2 shapes cannot be multiplied"):
        K.dot(K.ones((2, 3)), K.ones((4, 5)))
    with pytest.raises(ValueError, match=r"^K.concatenate: "):
        K.concatenate([K.ones((2, 3)), K.ones((3, 3))], axis=-1)


def test_expressions_over_variables_follow_their_current_values():
    counter = K.variable(0.)
    step = K.function([], [], updates=[(counter, counter + 1)])
    for _ in range(3):
        step([])
    assert K.get_value(counter) == 3.
    x = K.variable(np.array([1., 2.]))
    y = K.square(x) * 2 + 1
    K.set_value(x, [3., 4.])
    assert K.eval(y).tolist() == [19., 33.]
    momentum = K.variable(np.zeros(2))
    g = K.placeholder(ndim=1)
    velocity = 0.9 * momentum - 0.1 * g
    run = K.function([g], [velocity], updates=[(momentum, velocity)])
    results = [run([np.ones(2)])[0][0] for _ in range(3)]
    np.testing.assert_allclose(results, [-0.1, -0.19, -0.271], rtol=1e-6)
