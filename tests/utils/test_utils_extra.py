"""keras.utils extras: io_utils.HDF5Matrix, layer_utils, test_utils."""
import contextlib
import io

import numpy as np
import pytest

from keras_compat import backend as K
from keras_compat.layers import Activation, Convolution2D, Dense, Flatten
from keras_compat.models import Sequential
from keras_compat.utils import layer_utils, test_utils
from keras_compat.utils.np_utils import convert_kernel


# -- HDF5Matrix --------------------------------------------------------------------------------
@pytest.fixture
def h5_file(tmp_path):
    h5py = pytest.importorskip("h5py")
    path = str(tmp_path / "data.h5")
    with h5py.File(path, "w") as handle:
        handle["x"] = np.arange(40, dtype="float32").reshape(20, 2)
        handle["y"] = (np.arange(20) % 2).astype("float32").reshape(20, 1)
    yield path
    from keras_compat.utils.io_utils import HDF5Matrix
    HDF5Matrix.refs.pop(path).close()


def test_hdf5_matrix_indexing(h5_file):
    from keras_compat.utils.io_utils import HDF5Matrix
    full = np.arange(40, dtype="float32").reshape(20, 2)
    m = HDF5Matrix(h5_file, "x", start=5, end=15)
    assert len(m) == 10 and m.shape == (10, 2) and m.ndim == 2
    np.testing.assert_array_equal(m[0], full[5])
    np.testing.assert_array_equal(m[-1], full[14])
    np.testing.assert_array_equal(m[2:4], full[7:9])
    np.testing.assert_array_equal(m[:], full[5:15])
    np.testing.assert_array_equal(m[[1, 3]], full[[6, 8]])
    np.testing.assert_array_equal(m[np.array([0, 9])], full[[5, 14]])
    np.testing.assert_array_equal(np.asarray(m), full[5:15])
    with pytest.raises(IndexError):
        m[10]
    halved = HDF5Matrix(h5_file, "x", normalizer=lambda a: a / 2)
    np.testing.assert_array_equal(halved[1:3], full[1:3] / 2)
    with pytest.raises(KeyError, match="has no dataset 'z'"):
        HDF5Matrix(h5_file, "z")
    with pytest.raises(ValueError, match="outside dataset"):
        HDF5Matrix(h5_file, "x", start=5, end=30)


def test_hdf5_matrix_feeds_fit_and_predict(h5_file):
    from keras_compat.utils.io_utils import HDF5Matrix
    x = HDF5Matrix(h5_file, "x", end=16, normalizer=lambda a: a / 40)
    y = HDF5Matrix(h5_file, "y", end=16)
    model = Sequential([Dense(1, input_dim=2), Activation("sigmoid")])
    model.compile("sgd", "binary_crossentropy")
    history = model.fit(x, y, nb_epoch=2, batch_size=4, verbose=0, shuffle="batch")
    assert len(history.history["loss"]) == 2
    assert model.predict(HDF5Matrix(h5_file, "x", start=16)).shape == (4, 1)


# -- layer_utils -------------------------------------------------------------------------------
def _mlp():
    return Sequential([Dense(64, input_dim=100), Activation("relu"), Dense(10),
                       Activation("softmax")])


def test_print_summary_of_a_model_and_of_a_layer_list():
    model = _mlp()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        layer_utils.print_summary(model)
    lines = out.getvalue().splitlines()
    assert lines[3].startswith("dense_1 (Dense)                  (None, 64)            6464")
    assert "dense_input_1[0][0]" in lines[3]
    assert "Total params: 7,114" in lines
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        layer_utils.print_summary(model.layers)
    lines = out.getvalue().splitlines()
    assert all(len(line) == 100 for line in lines if line.startswith(("dense", "activation")))
    assert lines[5].startswith("activation_1 (Activation)        (None, 64)            0")
    assert lines[5].rstrip().endswith("dense_1[0][0]")
    assert "Total params: 7,114" in lines and "Non-trainable params: 0" in lines


def test_count_total_params_counts_nested_layers_once():
    inner = _mlp()
    outer = Sequential([inner, Dense(3)])
    assert layer_utils.count_total_params(outer.layers) == (7114 + 33, 0)
    assert layer_utils.count_total_params([inner.layers[0], inner.layers[0]]) == (6464, 0)


def test_convert_all_kernels_in_model_flips_conv_kernels_only():
    K.set_image_dim_ordering("th")  # Keras 1 finds the spatial axes from the global ordering
    model = Sequential([Convolution2D(2, 3, 3, input_shape=(1, 5, 5), dim_ordering="th"),
                        Flatten(), Dense(2)])
    before = model.get_weights()
    layer_utils.convert_all_kernels_in_model(model)
    after = model.get_weights()
    np.testing.assert_array_equal(after[0], convert_kernel(before[0]))
    np.testing.assert_array_equal(after[0], before[0][:, :, ::-1, ::-1])  # spatial axes
    for a, b in zip(before[1:], after[1:]):
        np.testing.assert_array_equal(a, b)
    assert layer_utils.layer_from_config is not None


# -- test_utils --------------------------------------------------------------------------------
def test_get_test_data_matches_keras1_draws(oracle):
    ref = oracle("get_test_data")
    np.random.seed(3)
    (a, b), (c, d) = test_utils.get_test_data(nb_train=6, nb_test=4, input_shape=(3,),
                                              classification=True, nb_class=3)
    for got, key in ((a, "x_train_c"), (b, "y_train_c"), (c, "x_test_c"), (d, "y_test_c")):
        np.testing.assert_array_equal(got, ref[key])
    np.random.seed(4)
    (a, b), (c, d) = test_utils.get_test_data(nb_train=5, nb_test=2, input_shape=(2, 2),
                                              output_shape=(3,), classification=False)
    for got, key in ((a, "x_train_r"), (b, "y_train_r"), (c, "x_test_r"), (d, "y_test_r")):
        np.testing.assert_array_equal(got, ref[key])


def test_layer_test_keras1_signature():
    out = test_utils.layer_test(Dense, kwargs={"output_dim": 3}, input_shape=(2, 4))
    assert out.shape == (2, 3) and out.dtype == np.float32
    data = np.ones((2, 4), dtype="float32")
    expected = test_utils.layer_test(Activation, kwargs={"activation": "relu"}, input_data=data,
                                     expected_output=data)
    np.testing.assert_array_equal(expected, data)
    with pytest.raises(AssertionError):
        test_utils.layer_test(Activation, kwargs={"activation": "relu"}, input_data=data,
                              expected_output=data * 3)
    with pytest.raises(AssertionError, match="output dtype"):
        test_utils.layer_test(Dense, kwargs={"output_dim": 3}, input_shape=(2, 4),
                              expected_output_dtype="float64")
    fixed = test_utils.layer_test(Dense, kwargs={"output_dim": 2}, input_shape=(3, 4),
                                  fixed_batch_size=True)
    assert fixed.shape == (3, 2)


def test_keras_test_decorator_clears_the_session_on_tensorflow():
    calls = []

    @test_utils.keras_test
    def make_layer(tag):
        calls.append(tag)
        return Dense(2).name
    assert make_layer.__name__ == "make_layer"
    assert K.backend() == "tensorflow"
    assert make_layer("a") == "dense_1"
    assert make_layer("b") == "dense_1"  # the uid counter was reset after the first call
    assert calls == ["a", "b"]
