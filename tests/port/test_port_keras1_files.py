"""Every Keras-1.2.2 model file in the test data -> load_model -> to_torch() = Keras 1's output."""
import glob
import os

import numpy as np
import pytest
import torch

pytest.importorskip("h5py")

from keras_compat.models import load_model  # noqa: E402

import reference_data

DATA = reference_data.data_path("hdf5")
CASES = sorted(os.path.basename(p)[:-len("_model.h5")]
               for p in glob.glob(os.path.join(DATA, "*_model.h5")))


def _reference(case):
    name = case.replace("_seq", "_seq_pred") if case.startswith("h5_") else case
    ref = np.load(os.path.join(DATA, name + ".npz"))
    inputs = [ref[k] for k in sorted(ref.files) if k.startswith("x")]
    expected = ref["y_model"] if "y_model" in ref.files else ref["y"]
    return inputs, expected


def test_the_data_holds_every_kind_of_case():
    assert len(CASES) >= 21
    assert {"port_masked_rnn_theano", "port_two_inputs_tensorflow",
            "port_conv_family_theano", "functional_nested_theano"} <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_ported_module_reproduces_keras1(case):
    inputs, expected = _reference(case)
    model = load_model(os.path.join(DATA, case + "_model.h5"))
    keras_side = model.predict(inputs if len(inputs) > 1 else inputs[0])
    ported = model.to_torch()
    with torch.no_grad():
        got = ported(*[torch.from_numpy(x) for x in inputs]).numpy()
    # 1e-5 for dense models, 1e-4 for conv and recurrent ones (float32 summation order)
    atol = 1e-5 if case.startswith(("batchnorm", "functional", "h5_", "port_two")) else 1e-4
    np.testing.assert_allclose(keras_side, expected, atol=atol, rtol=0)
    np.testing.assert_allclose(got, expected, atol=atol, rtol=0)
    np.testing.assert_allclose(got, keras_side, atol=1e-5, rtol=0)
