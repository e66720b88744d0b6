"""Weightless reshaping and pooling layers against real Keras 1.2.2, rebuilt from Keras 1's own
config of each case (tests/data/oracle/*/<case>.npz, made by tools/oracle_cases/shape_layers_cases.py).
"""
import json

import numpy as np
import pytest

from keras_compat.backend import config
from keras_compat.models import Sequential

CASES = ["reshape_minus_one", "permute_2_1", "repeat_vector_3", "upsampling1d_3",
         "zeropadding1d_2", "avgpool1d_valid_s1", "avgpool1d_same", "maxpool1d_same",
         "globalmaxpool1d", "globalavgpool1d", "globalmaxpool2d_th", "globalmaxpool2d_tf",
         "globalavgpool3d_th", "globalavgpool3d_tf"]


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("case", CASES)
def test_layer_matches_keras1(case, backend, oracle):
    config.set_backend(backend)
    ref = oracle(case, backend)
    meta = json.loads(str(ref["meta"]))
    x = oracle(case).inputs["x_0"]
    model = Sequential.from_config(meta["config"])
    # Theano's shape inference left some dims as strings ('12') in Keras 1's output_shape.
    expected = [None if d is None else int(d) for d in meta["output_shape"]]
    assert list(model.output_shape) == expected
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), ref["y"], rtol=1e-6, atol=1e-6)
