"""Convolution, zero-padding and upsampling layers through the generic layer harness."""
import warnings

import numpy as np
import pytest

from keras_compat.backend import config
from keras_compat.layers.convolutional import (Conv1D, Conv2D, Convolution1D, Convolution2D,
                                               UpSampling1D, UpSampling2D, ZeroPadding1D,
                                               ZeroPadding2D, convolution2d)
from keras_compat.models import Sequential
from keras_compat.testing import layer_test




def _image_shape(ordering, channels=3, rows=7, cols=6, batch=2):
    return (batch, channels, rows, cols) if ordering == "th" else (batch, rows, cols, channels)


# -- Convolution2D ------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("border_mode", ["valid", "same", "full"])
@pytest.mark.parametrize("subsample", [(1, 1), (2, 2)])
def test_convolution2d_harness(backend, ordering, border_mode, subsample):
    config.set_backend(backend)
    out = layer_test(Convolution2D,
                     kwargs={"nb_filter": 4, "nb_row": 3, "nb_col": 2, "border_mode": border_mode,
                             "subsample": subsample, "dim_ordering": ordering},
                     input_shape=_image_shape(ordering), expected_params=4 * 3 * 3 * 2 + 4)
    rows = {"valid": 5, "same": 7, "full": 9}[border_mode]
    cols = {"valid": 5, "same": 6, "full": 7}[border_mode]
    rows, cols = -(-rows // subsample[0]), -(-cols // subsample[1])
    expected = (2, 4, rows, cols) if ordering == "th" else (2, rows, cols, 4)
    assert out.shape == expected


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_convolution2d_no_bias_activation(ordering):
    layer_test(Convolution2D, kwargs={"nb_filter": 2, "nb_row": 2, "nb_col": 2, "bias": False,
                                      "activation": "relu", "dim_ordering": ordering,
                                      "W_regularizer": "l2"},
               input_shape=_image_shape(ordering), expected_params=2 * 3 * 2 * 2)


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_convolution2d_weight_layout(ordering):
    layer = Convolution2D(5, 3, 2, dim_ordering=ordering, input_shape=_image_shape(ordering)[1:])
    Sequential([layer])
    W, b = layer.get_weights()
    assert W.shape == ((5, 3, 3, 2) if ordering == "th" else (3, 2, 3, 5))
    assert b.shape == (5,)
    assert tuple(layer.weight.shape) == (5, 3, 3, 2)  # torch layout either way
    assert layer.keras1_weight_names() == [layer.name + "_W", layer.name + "_b"]
    if ordering == "tf":
        np.testing.assert_array_equal(W, layer.weight.detach().numpy().transpose(2, 3, 1, 0))


def test_convolution2d_matches_manual_cross_correlation_tf_and_flip_th():
    x = np.random.uniform(-1, 1, (2, 2, 5, 5)).astype("float32")
    W = np.random.uniform(-1, 1, (3, 2, 3, 3)).astype("float32")

    def manual(kernel):
        out = np.zeros((2, 3, 3, 3), "float32")
        for i in range(3):
            for j in range(3):
                patch = x[:, :, i:i + 3, j:j + 3]
                out[:, :, i, j] = np.einsum("bcij,fcij->bf", patch, kernel)
        return out

    for backend, kernel in (("tensorflow", W), ("theano", W[:, :, ::-1, ::-1])):
        config.set_backend(backend)
        layer = Convolution2D(3, 3, 3, dim_ordering="th", bias=False, input_shape=(2, 5, 5))
        model = Sequential([layer])
        layer.set_weights([W])
        np.testing.assert_allclose(model.predict(x), manual(kernel), atol=1e-5)


def test_backend_is_read_at_build_time():
    config.set_backend("theano")
    layer = Convolution2D(2, 3, 3, dim_ordering="th", input_shape=(1, 5, 5))
    model = Sequential([layer])
    x = np.random.uniform(-1, 1, (1, 1, 5, 5)).astype("float32")
    before = model.predict(x)
    config.set_backend("tensorflow")
    np.testing.assert_array_equal(model.predict(x), before)
    assert layer.backend == "theano"


def test_docs_example_th_cifar_shape_and_params():
    config.set_image_dim_ordering("th")
    layer = Convolution2D(64, 3, 3, border_mode="same", input_shape=(3, 32, 32))
    model = Sequential([layer])
    assert layer.dim_ordering == "th"
    assert model.output_shape == (None, 64, 32, 32)
    assert layer.count_params() == 1792


def test_default_ordering_is_resolved_at_construction():
    layer = Convolution2D(4, 3, 3)
    config.set_image_dim_ordering("th")
    assert layer.dim_ordering == "tf"
    assert layer.get_config()["dim_ordering"] == "tf"


def test_channels_first_shape_under_tf_warns_once(monkeypatch):
    monkeypatch.setattr(convolution2d, "_warned_channels_first", [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Sequential([Convolution2D(8, 3, 3, border_mode="same", input_shape=(3, 32, 32))])
        Sequential([Convolution2D(8, 3, 3, border_mode="same", input_shape=(3, 32, 32))])
    messages = [str(w.message) for w in caught if "channels-first" in str(w.message)]
    assert messages == [
        "Convolution2D input_shape (3, 32, 32) looks channels-first but image_dim_ordering is "
        "'tf'; this script was probably written for Theano ordering: run it with "
        "`python -m keras_compat --dim-ordering th script.py`"]


def test_no_warning_for_channels_last_or_th(monkeypatch):
    monkeypatch.setattr(convolution2d, "_warned_channels_first", [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Sequential([Convolution2D(8, 3, 3, input_shape=(32, 32, 3))])
        Sequential([Convolution2D(8, 3, 3, input_shape=(3, 32, 32), dim_ordering="th")])
    assert not [w for w in caught if "channels-first" in str(w.message)]


def test_keras2_spellings_give_the_keras1_config():
    naming_free = lambda c: {k: v for k, v in c.items() if k != "name"}
    keras1 = Convolution2D(4, 3, 5, init="he_normal", border_mode="same", subsample=(2, 1),
                           dim_ordering="th", bias=False, W_regularizer="l2")
    keras2 = Conv2D(filters=4, kernel_size=(3, 5), kernel_initializer="he_normal",
                    padding="same", strides=(2, 1), data_format="channels_first",
                    use_bias=False, kernel_regularizer="l2", dilation_rate=(1, 1))
    assert naming_free(keras2.get_config()) == naming_free(keras1.get_config())
    square = Conv2D(8, kernel_size=3)
    assert (square.nb_row, square.nb_col) == (3, 3)

    keras1 = Convolution1D(6, 4, border_mode="same", subsample_length=2)
    keras2 = Conv1D(filters=6, kernel_size=4, padding="same", strides=2)
    assert naming_free(keras2.get_config()) == naming_free(keras1.get_config())
    assert Conv1D(3, kernel_size=(5,)).filter_length == 5


def test_positional_tuple_kernel_is_refused_clearly():
    with pytest.raises(ValueError) as info:
        Convolution2D(64, (3, 3))
    message = str(info.value)
    assert "Convolution2D(64, 3, 3)" in message and "kernel_size=(3, 3)" in message


@pytest.mark.parametrize("kwargs, words", [
    ({"border_mode": "half"}, ["Convolution2D", "border_mode", "half"]),
    ({"dim_ordering": "nchw"}, ["Convolution2D", "dim_ordering"]),
    ({"subsample": (0, 1)}, ["Convolution2D", "subsample"]),
])
def test_convolution2d_bad_arguments(kwargs, words):
    with pytest.raises(ValueError) as info:
        Convolution2D(4, 3, 3, **kwargs)
    for word in words:
        assert word in str(info.value)


def test_non_positive_sizes_are_refused():
    with pytest.raises(ValueError, match="Convolution2D: nb_filter"):
        Convolution2D(0, 3, 3)
    with pytest.raises(ValueError, match="Convolution1D: filter_length"):
        Convolution1D(4, 0)
    with pytest.raises(ValueError, match="Convolution1D: invalid border_mode .causal."):
        Convolution1D(4, 3, border_mode="causal")


def test_dilation_is_refused_with_a_pointer():
    with pytest.raises(TypeError, match="AtrousConvolution2D"):
        Conv2D(4, kernel_size=3, dilation_rate=2)


def test_kernel_larger_than_input_fails_at_build():
    layer = Convolution2D(4, 5, 5, dim_ordering="th", input_shape=(3, 4, 4))
    with pytest.raises(ValueError) as info:
        Sequential([layer])
    message = str(info.value)
    assert "Convolution2D" in message and "(None, 3, 4, 4)" in message and "(5, 5)" in message
    with pytest.raises(ValueError, match=r"Convolution1D.*\(None, 2, 8\).*\(3,\)"):
        Sequential([Convolution1D(4, 3, input_shape=(2, 8))])


def test_wrong_channel_count_after_build():
    layer = Convolution2D(4, 3, 3, dim_ordering="tf", input_shape=(8, 8, 3))
    Sequential([layer])
    with pytest.raises(ValueError, match="input channels"):
        layer.build_for((None, 8, 8, 5))


# -- Convolution1D ------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("border_mode", ["valid", "same", "full"])
@pytest.mark.parametrize("subsample_length", [1, 2])
def test_convolution1d_harness(backend, border_mode, subsample_length):
    config.set_backend(backend)
    out = layer_test(Convolution1D,
                     kwargs={"nb_filter": 4, "filter_length": 3, "border_mode": border_mode,
                             "subsample_length": subsample_length, "activation": "tanh"},
                     input_shape=(2, 9, 5), expected_params=3 * 5 * 4 + 4)
    steps = {"valid": 7, "same": 9, "full": 11}[border_mode]
    assert out.shape == (2, -(-steps // subsample_length), 4)


def test_convolution1d_input_dim_input_length_and_layout():
    layer = Convolution1D(6, 4, input_dim=5, input_length=10)
    assert layer.batch_input_shape == (None, 10, 5)
    model = Sequential([layer])
    assert model.output_shape == (None, 7, 6)
    W, b = layer.get_weights()
    assert W.shape == (4, 1, 5, 6) and b.shape == (6,)
    assert tuple(layer.weight.shape) == (6, 5, 4)
    config_ = layer.get_config()
    assert config_["input_dim"] == 5 and config_["input_length"] == 10
    no_length = Convolution1D(6, 4, input_dim=5)
    assert no_length.batch_input_shape == (None, None, 5)


def test_convolution1d_init_quirk_uses_th_fans_on_4d_kernel():
    np.random.seed(1)
    layer = Convolution1D(64, 5, input_dim=32)
    Sequential([layer])
    W = layer.get_weights()[0]
    assert W.shape == (5, 1, 32, 64)
    # 'th' fans on (5, 1, 32, 64): fan_in = 1 * 32 * 64, fan_out = 5 * 32 * 64
    limit = np.sqrt(6.0 / (32 * 64 + 5 * 32 * 64))
    assert abs(limit - 0.0221) < 1e-3
    assert np.abs(W).max() <= limit + 1e-7
    assert np.abs(W).max() > 0.95 * limit
    # the same draw reproduced by hand (NumPy global RNG, as Keras-1 Theano)
    np.random.seed(1)
    expected = np.random.uniform(-limit, limit, (5, 1, 32, 64)).astype("float32")
    np.testing.assert_allclose(W, expected, rtol=1e-6)


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_convolution2d_init_uses_own_ordering_fans(ordering):
    np.random.seed(2)
    layer = Convolution2D(16, 3, 3, dim_ordering=ordering,
                          input_shape=_image_shape(ordering, channels=8, rows=6, cols=6)[1:])
    Sequential([layer])
    W = layer.get_weights()[0]
    limit = np.sqrt(6.0 / (9 * 8 + 9 * 16))
    np.random.seed(2)
    expected = np.random.uniform(-limit, limit, W.shape).astype("float32")
    np.testing.assert_allclose(W, expected, rtol=1e-6)


# -- ZeroPadding / UpSampling -------------------------------------------------------------
def test_zero_padding1d_forms():
    x = np.random.uniform(-1, 1, (2, 4, 3)).astype("float32")
    for padding, (left, right) in ((1, (1, 1)), ((2, 3), (2, 3)),
                                   ({"left_pad": 2}, (2, 0)), ({"right_pad": 1}, (0, 1))):
        expected = np.pad(x, ((0, 0), (left, right), (0, 0)))
        layer_test(ZeroPadding1D, kwargs={"padding": padding}, input_data=x,
                   expected_output=expected, expected_output_shape=(None, 4 + left + right, 3))


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_zero_padding2d_forms(ordering):
    x = np.random.uniform(-1, 1, _image_shape(ordering, 2, 4, 5)).astype("float32")
    forms = (((1, 2), (1, 1, 2, 2)), ((1, 2, 3, 4), (1, 2, 3, 4)),
             ({"top_pad": 1, "right_pad": 2}, (1, 0, 0, 2)), (((2, 0), (1, 3)), (2, 0, 1, 3)))
    for padding, (top, bottom, left, right) in forms:
        spatial = ((top, bottom), (left, right))
        widths = ((0, 0), (0, 0)) + spatial if ordering == "th" else ((0, 0),) + spatial + ((0, 0),)
        layer_test(ZeroPadding2D, kwargs={"padding": padding, "dim_ordering": ordering},
                   input_data=x, expected_output=np.pad(x, widths))


def test_zero_padding_bad_arguments():
    with pytest.raises(ValueError, match="ZeroPadding2D.*padding"):
        ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="ZeroPadding2D.*top"):
        ZeroPadding2D({"top": 1})
    with pytest.raises(ValueError, match="ZeroPadding1D.*padding"):
        ZeroPadding1D(-1)
    with pytest.raises(ValueError, match="ZeroPadding2D: dim_ordering"):
        ZeroPadding2D(dim_ordering="xy")


def test_upsampling1d():
    x = np.random.uniform(-1, 1, (2, 3, 4)).astype("float32")
    layer_test(UpSampling1D, kwargs={"length": 3}, input_data=x,
               expected_output=np.repeat(x, 3, axis=1), expected_output_shape=(None, 9, 4))
    assert UpSampling1D(size=4).get_config()["length"] == 4
    with pytest.raises(ValueError, match="UpSampling1D: length"):
        UpSampling1D(0)


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_upsampling2d(ordering):
    x = np.random.uniform(-1, 1, _image_shape(ordering, 2, 3, 4)).astype("float32")
    axes = (2, 3) if ordering == "th" else (1, 2)
    expected = np.repeat(np.repeat(x, 2, axis=axes[0]), 3, axis=axes[1])
    layer_test(UpSampling2D, kwargs={"size": (2, 3), "dim_ordering": ordering}, input_data=x,
               expected_output=expected)
    keras2 = UpSampling2D(size=(2, 3), data_format="channels_first")
    assert keras2.dim_ordering == "th" and keras2.size == (2, 3)
    with pytest.raises(ValueError, match="UpSampling2D: size"):
        UpSampling2D(size=(2, 0))


def test_none_dimensions_are_preserved():
    assert ZeroPadding2D((1, 2), dim_ordering="th").get_output_shape_for((None, 3, None, 4)) == \
        (None, 3, None, 8)
    assert UpSampling2D(dim_ordering="tf").get_output_shape_for((None, None, 4, 3)) == \
        (None, None, 8, 3)
    assert Convolution1D(2, 3).get_output_shape_for((None, None, 4)) == (None, None, 2)
