"""K functions with numeric content against real Keras 1.2.2, per emulated backend
(tests/data/oracle/*/backend_<case>.npz, made by tools/oracle_cases/backend_cases.py)."""

import numpy as np
import pytest
import torch

from keras_compat import backend as K
from keras_compat.backend import config

import reference_data

CASES = [name[len("backend_"):] for name in reference_data.oracle_cases("inputs", "backend_")]
# Keras 1.2.2's Theano backend lacked some functions: those cases have no Theano reference.
THEANO_CASES = {name[len("backend_"):] for name in reference_data.oracle_cases("theano", "backend_")}
UPDATES = ("moving_average_update", "update_add")


def _run(function, arrays, kwargs):
    tensors = [K.variable(a, dtype=str(a.dtype)) for a in arrays]
    fn = getattr(K, function)
    if function in UPDATES:
        K.function([], [], updates=[fn(*tensors, **kwargs)])([])
        return [K.get_value(tensors[0])]
    out = fn(*tensors, **kwargs)
    if function == "ctc_decode":
        decoded, log_prob = out
        return [K.eval(d) for d in decoded] + [K.eval(log_prob)]
    if isinstance(out, (list, tuple)):
        return [K.eval(o) for o in out]
    return [K.eval(out)]


def test_every_case_has_a_reference():
    assert len(CASES) >= 30
    tensorflow = {name[len("backend_"):] for name in reference_data.oracle_cases("tensorflow", "backend_")}
    assert set(CASES) == tensorflow
    assert THEANO_CASES <= tensorflow and len(THEANO_CASES) >= 25


@pytest.mark.parametrize("case, backend", [(case, backend) for case in CASES
                                           for backend in ("theano", "tensorflow")
                                           if backend == "tensorflow" or case in THEANO_CASES])
def test_function_matches_keras1(case, backend, oracle):
    config.set_backend(backend)
    ref = oracle("backend_" + case, backend)
    meta = ref.meta
    inputs = ref.inputs
    arrays = [inputs[name] for name in meta["arguments"]]
    kwargs = {k: tuple(v) if isinstance(v, list) and k != "reduction_axes" else v
              for k, v in meta["kwargs"].items()}
    outputs = _run(meta["function"], arrays, kwargs)
    expected = [ref["y_%d" % i] for i in range(len([k for k in ref.outputs if k.startswith("y_")]))]
    assert len(outputs) == len(expected)
    for got, want in zip(outputs, expected):
        assert np.shape(got) == np.shape(want)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_functions_take_placeholders_and_k_function_evaluates_them(backend, oracle):
    config.set_backend(backend)
    ref = oracle("backend_conv2d_tf_same", backend)
    inputs = ref.inputs
    x = K.placeholder(shape=(None,) + inputs["x"].shape[1:])
    kernel = K.variable(inputs["kernel"])
    y = K.conv2d(x, kernel, border_mode="same", dim_ordering="tf")
    assert K.int_shape(y) == (None,) + ref["y_0"].shape[1:]
    pooled = K.pool2d(K.relu(y), (2, 2), strides=(2, 2), dim_ordering="tf")
    f = K.function([x], [y, pooled])
    got_y, got_pooled = f([inputs["x"]])
    np.testing.assert_allclose(got_y, ref["y_0"], rtol=1e-4, atol=1e-5)
    expected = torch.nn.functional.max_pool2d(
        torch.relu(torch.from_numpy(ref["y_0"])).permute(0, 3, 1, 2), 2).permute(0, 2, 3, 1)
    np.testing.assert_allclose(got_pooled, expected.numpy(), rtol=1e-4, atol=1e-5)
