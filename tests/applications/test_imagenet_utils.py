"""imagenet_utils against real Keras 1.2.2: preprocess_input values (and its in-place effect on
the caller's array), decode_predictions with a class index in the Keras cache, and the input
shape checks."""
import json
import os

import numpy as np
import pytest

from keras_compat.applications import imagenet_utils
from keras_compat.backend import config
from keras_compat.utils import data_utils

from applications_helpers import behaviour, configure, data_path


def _oracle(ordering):
    return np.load(data_path("imagenet_utils_%s.npz" % ordering))


@pytest.mark.parametrize("ordering", ["tf", "th"])
def test_preprocess_input_matches_keras1(ordering):
    configure("tensorflow", ordering)
    ref = _oracle(ordering)
    given = ref["images"].copy()
    result = imagenet_utils.preprocess_input(given)
    np.testing.assert_allclose(result, ref["result"], rtol=0, atol=1e-5)
    # Keras 1.2.2 subtracted in place through a channel-reversed view: the caller's array changes.
    np.testing.assert_allclose(given, ref["given_after"], rtol=0, atol=1e-5)
    assert np.shares_memory(result, given)


@pytest.mark.parametrize("ordering", ["tf", "th"])
def test_preprocess_input_explicit_ordering_overrides_config(ordering):
    configure("tensorflow", ordering)
    ref = _oracle(ordering)
    other = "tf" if ordering == "th" else "th"
    result = imagenet_utils.preprocess_input(ref["images"].copy(), dim_ordering=other)
    np.testing.assert_allclose(result, ref["explicit_other"], rtol=0, atol=1e-5)


def test_preprocess_input_bad_input():
    with pytest.raises(ValueError, match="dim_ordering must be 'tf', 'th' or 'default', not 'nchw'"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), dim_ordering="nchw")
    with pytest.raises(ValueError, match=r"expects a 4D NumPy array .* got \(2, 2, 3\)"):
        imagenet_utils.preprocess_input(np.zeros((2, 2, 3)))


def _write_class_index():
    # The same made-up index the oracle script gave Keras 1.2.2.
    folder = data_utils.cache_dir("models")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "imagenet_class_index.json"), "w") as handle:
        json.dump({str(i): ["n%08d" % i, "class_%d" % i] for i in range(1000)}, handle)


def test_decode_predictions_matches_keras1(monkeypatch):
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    _write_class_index()
    ref = _oracle("tf")
    decoded = imagenet_utils.decode_predictions(ref["preds"], top=4)
    expected = json.loads(str(ref["decoded"]))
    assert [[list(t[:2]) for t in row] for row in decoded] == [[t[:2] for t in row]
                                                              for row in expected]
    np.testing.assert_allclose([[t[2] for t in row] for row in decoded],
                               [[t[2] for t in row] for row in expected], rtol=1e-6)
    assert all(isinstance(t, tuple) and len(t) == 3 for row in decoded for t in row)


def test_decode_predictions_reads_the_index_once(monkeypatch):
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    _write_class_index()
    imagenet_utils.decode_predictions(np.eye(1000)[:1], top=1)
    os.remove(os.path.join(data_utils.cache_dir("models"), "imagenet_class_index.json"))
    assert imagenet_utils.decode_predictions(np.eye(1000)[2:3], top=1)[0][0][:2] == (
        "n00000002", "class_2")


def test_decode_predictions_missing_index_names_file_and_origin(monkeypatch):
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    with pytest.raises(FileNotFoundError) as caught:
        imagenet_utils.decode_predictions(np.zeros((1, 1000)))
    message = str(caught.value)
    assert os.path.join(config.keras_home(), "models", "imagenet_class_index.json") in message
    assert imagenet_utils.CLASS_INDEX_PATH in message
    assert "never downloads" in message


def test_decode_predictions_bad_shape_is_keras1s_error():
    errors = json.loads(str(np.load(data_path("audio_conv_utils.npz"))["errors"]))
    preds = _oracle("tf")["preds"]
    for case, bad in (("decode_1d", preds[0]), ("decode_999", preds[:, :999])):
        with pytest.raises(ValueError) as caught:
            imagenet_utils.decode_predictions(bad)
        assert [type(caught.value).__name__, str(caught.value)] == errors[case]


@pytest.mark.parametrize("ordering", ["tf", "th"])
def test_obtain_input_shape(ordering):
    obtain = imagenet_utils._obtain_input_shape
    default = (3, 224, 224) if ordering == "th" else (224, 224, 3)
    assert obtain(None, 224, 48, ordering, True) == default
    assert obtain(default, 224, 48, ordering, True) == default
    free = (3, None, None) if ordering == "th" else (None, None, 3)
    assert obtain(None, 224, 48, ordering, False) == free
    assert obtain(free, 224, 48, ordering, False) == free


def test_bad_input_shapes_are_keras1s_errors():
    # The model-level calls in behaviour_*.json cover the messages; here the shape check alone.
    for ordering in ("tf", "th"):
        expected = behaviour("theano", ordering)["vgg16_small"]["error"]
        shape = (3, 47, 47) if ordering == "th" else (47, 47, 3)
        with pytest.raises(ValueError) as caught:
            imagenet_utils._obtain_input_shape(shape, 224, 48, ordering, False)
        assert ["ValueError", str(caught.value)] == expected
