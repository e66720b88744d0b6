"""Keras-1 global configuration: keras.json (read, never written), KERAS_BACKEND, K functions."""
import json
import os

import pytest
import torch

from keras_compat import backend as K
from keras_compat.backend import config, device


def _write_keras_json(monkeypatch, tmp_path, content):
    home = tmp_path / "home"
    home.mkdir()
    (home / "keras.json").write_text(json.dumps(content))
    monkeypatch.setenv("KERAS_HOME", str(home))
    config.reload()
    return home


def test_keras1_defaults():
    assert K.epsilon() == 1e-7
    assert K.floatx() == "float32"
    assert K.image_dim_ordering() == "tf"
    assert K.backend() == "tensorflow"


def test_keras_json_is_read_and_never_written(monkeypatch, tmp_path):
    home = _write_keras_json(monkeypatch, tmp_path, {"image_dim_ordering": "th", "epsilon": 1e-6,
                                                     "backend": "theano", "floatx": "float32"})
    before = (home / "keras.json").read_text()
    assert K.image_dim_ordering() == "th"
    assert K.epsilon() == 1e-6
    assert K.backend() == "theano"
    K.set_image_dim_ordering("tf")
    assert (home / "keras.json").read_text() == before


def test_missing_keras_json_is_not_created(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "nothing"))
    config.reload()
    assert K.image_dim_ordering() == "tf"
    assert not os.path.exists(tmp_path / "nothing")


def test_keras2_image_data_format_key(monkeypatch, tmp_path):
    _write_keras_json(monkeypatch, tmp_path, {"image_data_format": "channels_first"})
    assert K.image_dim_ordering() == "th"


def test_keras_backend_environment_variable(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "theano")
    config.reload()
    assert K.backend() == "theano"
    monkeypatch.setenv("KERAS_BACKEND", "cntk")
    config.reload()
    with pytest.raises(ValueError, match="cntk"):
        K.backend()


def test_set_image_dim_ordering_validates():
    K.set_image_dim_ordering("th")
    assert K.image_dim_ordering() == "th"
    with pytest.raises(ValueError, match="dim_ordering"):
        K.set_image_dim_ordering("nchw")


def test_default_dim_ordering_is_resolved_when_a_layer_is_built():
    from keras_compat.layers import Convolution2D
    K.set_image_dim_ordering("th")
    conv = Convolution2D(4, 3, 3)
    K.set_image_dim_ordering("tf")
    assert conv.dim_ordering == "th"


def test_get_and_set_value_on_variables():
    variable = K.variable([1.0, 2.0])
    K.set_value(variable, [3.0, 4.0])
    assert K.get_value(variable).tolist() == [3.0, 4.0]
    with pytest.raises(ValueError, match="shape"):
        K.set_value(variable, [1.0])


def test_clear_session_restarts_layer_names():
    from keras_compat.layers import Dense
    Dense(2)
    K.clear_session()
    assert Dense(2).name == "dense_1"


def test_device_override(monkeypatch):
    device.set_device(None)
    monkeypatch.setenv("KERAS_COMPAT_DEVICE", "cpu")
    assert device.resolve() == torch.device("cpu")
    with pytest.raises(ValueError, match="Unknown device"):
        device.set_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            device.set_device("cuda")


def test_tf_version_names_exist_only_under_emulated_tensorflow(monkeypatch):
    assert (K.tf_major_version, K.tf_minor_version) == (1, 0)
    monkeypatch.setenv("KERAS_BACKEND", "theano")
    config.reload()
    with pytest.raises(AttributeError, match="tf_major_version"):
        K.tf_major_version
