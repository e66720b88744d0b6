"""Pooling layers through the generic layer harness, plus argument handling."""
import numpy as np
import pytest

from keras_compat.backend import config
from keras_compat.layers.pooling import (AveragePooling1D, AveragePooling2D,
                                         GlobalAveragePooling1D, GlobalAveragePooling2D,
                                         GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D,
                                         MaxPooling2D)
from keras_compat.models import Sequential
from keras_compat.testing import layer_test




def _image_shape(ordering, channels=3, rows=7, cols=6, batch=2):
    return (batch, channels, rows, cols) if ordering == "th" else (batch, rows, cols, channels)


@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("cls", [MaxPooling2D, AveragePooling2D])
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("border_mode", ["valid", "same"])
@pytest.mark.parametrize("pool, strides", [((2, 2), None), ((3, 2), (1, 2)), ((3, 3), (2, 2))])
def test_pooling2d_harness(backend, cls, ordering, border_mode, pool, strides):
    config.set_backend(backend)
    out = layer_test(cls, kwargs={"pool_size": pool, "strides": strides,
                                  "border_mode": border_mode, "dim_ordering": ordering},
                     input_shape=_image_shape(ordering), expected_params=0)
    strides = strides or pool
    if border_mode == "valid":
        rows, cols = (7 - pool[0]) // strides[0] + 1, (6 - pool[1]) // strides[1] + 1
    else:
        rows, cols = -(-7 // strides[0]), -(-6 // strides[1])
    assert out.shape == ((2, 3, rows, cols) if ordering == "th" else (2, rows, cols, 3))


@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("cls", [MaxPooling1D, AveragePooling1D])
@pytest.mark.parametrize("border_mode", ["valid", "same"])
@pytest.mark.parametrize("pool_length, stride", [(2, None), (3, 1), (3, 2), (4, 2)])
def test_pooling1d_harness_and_equivalence_with_2d(backend, cls, border_mode, pool_length, stride):
    """Keras 1 pools 1-D data as 2-D ``(batch, steps, 1, feat)`` data in 'tf' ordering."""
    config.set_backend(backend)
    x = np.random.uniform(-1, 1, (2, 9, 4)).astype("float32")
    out = layer_test(cls, kwargs={"pool_length": pool_length, "stride": stride,
                                  "border_mode": border_mode}, input_data=x)
    cls2d = MaxPooling2D if cls is MaxPooling1D else AveragePooling2D
    as_2d = Sequential([cls2d((pool_length, 1), strides=(stride or pool_length, 1),
                              border_mode=border_mode, dim_ordering="tf",
                              input_shape=(9, 1, 4))])
    np.testing.assert_allclose(out, as_2d.predict(x[:, :, None, :])[:, :, 0, :], atol=1e-6)


def test_theano_same_pooling_pads_both_sides():
    """p=2 'same' under Theano: windows start one cell before the input, as Keras 1.2.2's
    Theano pool2d padded them (oracle case avgpool2d_th_same)."""
    x = np.arange(1, 6, dtype="float32").reshape(1, 5, 1)
    config.set_backend("theano")
    th = Sequential([MaxPooling1D(2, border_mode="same", input_shape=(5, 1))]).predict(x)
    config.set_backend("tensorflow")
    tf = Sequential([MaxPooling1D(2, border_mode="same", input_shape=(5, 1))]).predict(x)
    assert th[0, :, 0].tolist() == [1, 3, 5]
    assert tf[0, :, 0].tolist() == [2, 4, 5]
    config.set_backend("theano")
    avg = Sequential([AveragePooling1D(2, border_mode="same", input_shape=(5, 1))]).predict(x)
    assert avg[0, :, 0].tolist() == [1, 2.5, 4.5]  # padding excluded from the divisor


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_global_pooling2d(ordering):
    x = np.random.uniform(-1, 1, _image_shape(ordering)).astype("float32")
    axes = (2, 3) if ordering == "th" else (1, 2)
    layer_test(GlobalMaxPooling2D, kwargs={"dim_ordering": ordering}, input_data=x,
               expected_output=x.max(axis=axes), expected_output_shape=(None, 3))
    layer_test(GlobalAveragePooling2D, kwargs={"dim_ordering": ordering}, input_data=x,
               expected_output=x.mean(axis=axes), expected_output_shape=(None, 3))
    assert GlobalAveragePooling2D(data_format="channels_first").dim_ordering == "th"


def test_global_pooling1d():
    x = np.random.uniform(-1, 1, (2, 5, 3)).astype("float32")
    layer_test(GlobalMaxPooling1D, input_data=x, expected_output=x.max(axis=1),
               expected_output_shape=(None, 3))
    layer_test(GlobalAveragePooling1D, input_data=x, expected_output=x.mean(axis=1),
               expected_output_shape=(None, 3))


def test_strides_default_to_pool_size_in_config():
    assert MaxPooling2D((3, 2)).get_config()["strides"] == (3, 2)
    assert MaxPooling1D(3).get_config()["stride"] == 3


def test_keras2_spellings_give_the_keras1_config():
    naming_free = lambda c: {k: v for k, v in c.items() if k != "name"}
    assert naming_free(MaxPooling2D(pool_size=(2, 3), strides=(1, 1), padding="same",
                                    data_format="channels_first").get_config()) == \
        naming_free(MaxPooling2D((2, 3), (1, 1), "same", "th").get_config())
    assert naming_free(AveragePooling1D(pool_size=3, strides=2, padding="same").get_config()) == \
        naming_free(AveragePooling1D(3, 2, "same").get_config())
    assert MaxPooling1D(pool_size=(4,)).pool_length == 4


def test_bad_arguments():
    with pytest.raises(ValueError, match="MaxPooling2D: invalid border_mode 'full'"):
        MaxPooling2D(border_mode="full")
    with pytest.raises(ValueError, match="AveragePooling2D: dim_ordering"):
        AveragePooling2D(dim_ordering="nhwc")
    with pytest.raises(ValueError, match="MaxPooling1D: pool_length"):
        MaxPooling1D(0)
    with pytest.raises(ValueError, match="AveragePooling2D: pool_size"):
        AveragePooling2D((2, -1))
    with pytest.raises(ValueError, match="GlobalMaxPooling2D: dim_ordering"):
        GlobalMaxPooling2D(dim_ordering="x")


def test_pool_larger_than_input_fails_at_build():
    with pytest.raises(ValueError) as info:
        Sequential([MaxPooling2D((4, 4), dim_ordering="th", input_shape=(3, 3, 8))])
    message = str(info.value)
    assert "MaxPooling2D" in message and "(None, 3, 3, 8)" in message and "(4, 4)" in message
    # 'same' never empties the output
    Sequential([MaxPooling2D((4, 4), border_mode="same", dim_ordering="th",
                             input_shape=(3, 3, 8))])


def test_wrong_rank_is_refused():
    with pytest.raises(ValueError, match="expected ndim=4"):
        Sequential([MaxPooling2D(input_shape=(5, 5))])
