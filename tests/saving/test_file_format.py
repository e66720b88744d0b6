"""The format of a file is its content's: HDF5 (signature) or torch (zip), never its name.
save_weights writes HDF5 unless the name ends in .pt/.pth, as Keras 1 wrote HDF5 for any name."""
import os
import shutil

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from keras_compat.layers import Dense  # noqa: E402
from keras_compat.models import Sequential, load_model  # noqa: E402
from keras_compat.saving import keras1_hdf5  # noqa: E402

import reference_data

DATA = reference_data.data_path("hdf5")


def _model():
    model = Sequential([Dense(4, input_dim=3, name="a"), Dense(2, name="b")])
    model.compile("sgd", "mse")
    return model


def _head(path):
    with open(path, "rb") as handle:
        return handle.read(8)


def test_save_weights_without_suffix_writes_keras1_hdf5(tmp_path):
    model = _model()
    path = str(tmp_path / "generator")
    model.save_weights(path, True)
    assert _head(path) == b"\x89HDF\r\n\x1a\n"
    with h5py.File(path, "r") as handle:  # Keras 1.2.2's weights layout
        assert [n.decode() for n in handle.attrs["layer_names"]] == ["a", "b"]
    fresh = _model()
    fresh.load_weights(path)
    for got, want in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, want)
    model.save_weights(str(tmp_path / "w.pt"))
    assert _head(str(tmp_path / "w.pt"))[:4] == b"PK\x03\x04"
    model.save_weights(str(tmp_path / "w.pth"))
    assert keras1_hdf5.file_format(str(tmp_path / "w.pth")) == "torch"


def test_files_load_by_content_whatever_their_name(tmp_path):
    model = _model()
    x = np.random.RandomState(0).rand(3, 3).astype("float32")
    model.save(str(tmp_path / "m.h5"))
    model.save(str(tmp_path / "m.pt"))
    model.save_weights(str(tmp_path / "w.h5"))
    model.save_weights(str(tmp_path / "w.pt"))
    renamed = {"m.h5": "model_h5.bin", "m.pt": "model_pt.h5", "w.h5": "weights_h5",
               "w.pt": "weights_pt.hdf5"}
    for old, new in renamed.items():
        os.rename(str(tmp_path / old), str(tmp_path / new))
    for name in ("model_h5.bin", "model_pt.h5"):
        np.testing.assert_array_equal(load_model(str(tmp_path / name)).predict(x),
                                      model.predict(x))
    for name in ("weights_h5", "weights_pt.hdf5"):
        fresh = _model()
        fresh.load_weights(str(tmp_path / name))
        np.testing.assert_array_equal(fresh.predict(x), model.predict(x))


def test_keras1_file_named_without_h5_loads(tmp_path):
    path = str(tmp_path / "keras1_weights")
    shutil.copy(os.path.join(DATA, "convnet_th_weights.h5"), path)
    model = load_model(os.path.join(DATA, "convnet_th_model.h5"))
    fresh = load_model(os.path.join(DATA, "convnet_th_model.h5"))
    fresh.load_weights(path)
    for got, want in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, want)


def test_hdf5_signature_after_a_user_block(tmp_path):
    path = str(tmp_path / "ub")
    with h5py.File(path, "w", userblock_size=512) as handle:
        handle.attrs["x"] = 1
    assert _head(path) != b"\x89HDF\r\n\x1a\n"
    assert keras1_hdf5.file_format(path) == "hdf5"
    other = tmp_path / "text"
    other.write_bytes(b"hello")
    assert keras1_hdf5.file_format(str(other)) is None
