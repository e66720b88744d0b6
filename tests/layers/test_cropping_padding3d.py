"""Cropping1D/2D/3D, ZeroPadding1D/2D/3D forms, UpSampling3D and the 3-D pooling layers."""
import numpy as np
import pytest

from keras_compat.backend import config
from keras_compat.layers.convolutional import (Cropping1D, Cropping2D, Cropping3D, UpSampling3D,
                                               ZeroPadding1D, ZeroPadding2D, ZeroPadding3D)
from keras_compat.layers.pooling import (AveragePooling3D, GlobalAveragePooling3D,
                                         GlobalMaxPooling3D, MaxPooling3D)
from keras_compat.models import Sequential
from keras_compat.testing import layer_test


@pytest.mark.parametrize("cls,kwargs,shape,out", [
    (Cropping1D, dict(cropping=(1, 2)), (2, 7, 3), (None, 4, 3)),
    (Cropping1D, dict(cropping=(0, 0)), (2, 7, 3), (None, 7, 3)),
    (Cropping2D, dict(cropping=((1, 2), (0, 1)), dim_ordering="th"), (2, 3, 6, 7),
     (None, 3, 3, 6)),
    (Cropping2D, dict(cropping=((1, 0), (2, 2)), dim_ordering="tf"), (2, 6, 7, 3),
     (None, 5, 3, 3)),
    (Cropping3D, dict(dim_ordering="th"), (2, 2, 4, 5, 6), (None, 2, 2, 3, 4)),
    (Cropping3D, dict(cropping=((0, 1), (2, 0), (1, 1)), dim_ordering="tf"), (2, 4, 5, 6, 2),
     (None, 3, 3, 4, 2)),
    (ZeroPadding3D, dict(dim_ordering="th"), (2, 2, 2, 3, 1), (None, 2, 4, 5, 3)),
    (ZeroPadding3D, dict(padding=(0, 2, 1), dim_ordering="tf"), (2, 2, 3, 1, 2),
     (None, 2, 7, 3, 2)),
    (UpSampling3D, dict(dim_ordering="th"), (2, 2, 2, 3, 1), (None, 2, 4, 6, 2)),
    (UpSampling3D, dict(size=(1, 3, 2), dim_ordering="tf"), (2, 2, 3, 1, 2), (None, 2, 9, 2, 2)),
    (ZeroPadding1D, dict(padding={"left_pad": 2}), (2, 3, 2), (None, 5, 2)),
    (ZeroPadding1D, dict(padding=(0, 3)), (2, 3, 2), (None, 6, 2)),
    (ZeroPadding2D, dict(padding={"top_pad": 1, "right_pad": 2}, dim_ordering="th"),
     (2, 1, 3, 3), (None, 1, 4, 5)),
    (ZeroPadding2D, dict(padding=(1, 0, 2, 3), dim_ordering="tf"), (2, 3, 3, 1),
     (None, 4, 8, 1)),
])
def test_reshaping_layers(cls, kwargs, shape, out):
    layer_test(cls, kwargs, input_shape=shape, expected_output_shape=out, expected_params=0)


def test_values_of_crop_pad_upsample_3d():
    x = np.arange(2 * 2 * 3 * 4 * 5, dtype="float32").reshape(2, 2, 3, 4, 5)
    y = Sequential([Cropping3D(((1, 1), (0, 2), (2, 1)), dim_ordering="th",
                               input_shape=x.shape[1:])]).predict(x)
    np.testing.assert_array_equal(y, x[:, :, 1:2, 0:2, 2:4])
    tf = x.transpose(0, 2, 3, 4, 1)
    y = Sequential([ZeroPadding3D((1, 0, 2), dim_ordering="tf",
                                  input_shape=tf.shape[1:])]).predict(tf)
    np.testing.assert_array_equal(y, np.pad(tf, ((0, 0), (1, 1), (0, 0), (2, 2), (0, 0)),
                                            "constant"))
    y = Sequential([UpSampling3D((2, 1, 3), dim_ordering="th",
                                 input_shape=x.shape[1:])]).predict(x)
    np.testing.assert_array_equal(y, x.repeat(2, 2).repeat(3, 4))


def test_crop_pad_errors():
    with pytest.raises(ValueError, match="cropping"):
        Cropping1D((1, 2, 3))
    with pytest.raises(ValueError, match="cropping"):
        Cropping2D(((1, 2), (1,)))
    with pytest.raises(ValueError, match="cropping"):
        Cropping3D(((1, 1), (1, 1)))
    with pytest.raises(ValueError, match="cropping1d_\\d+.*removes more than all of axis 1"):
        Sequential([Cropping1D((3, 3), input_shape=(5, 2))])
    # Emptying an axis is allowed, as in Keras 1.2.2 (oracle: (None, 0, 2), predict (2, 0, 2)).
    empty = Sequential([Cropping1D((2, 3), input_shape=(5, 2))])
    assert empty.output_shape == (None, 0, 2)
    assert empty.predict(np.zeros((2, 5, 2))).shape == (2, 0, 2)
    with pytest.raises(ValueError, match="padding"):
        ZeroPadding3D((1, 2))
    with pytest.raises(ValueError, match="padding"):
        ZeroPadding3D((1, -1, 2))
    with pytest.raises(ValueError, match="unexpected key"):
        ZeroPadding2D({"top": 1})
    assert Cropping2D(cropping=((1, 1), (2, 2)), data_format="channels_first").dim_ordering == "th"


@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("cls,kwargs,shape,out", [
    (MaxPooling3D, dict(dim_ordering="th"), (2, 2, 5, 5, 4), (None, 2, 2, 2, 2)),
    (MaxPooling3D, dict(border_mode="same", dim_ordering="tf"), (2, 5, 5, 4, 2),
     (None, 3, 3, 2, 2)),
    (AveragePooling3D, dict(pool_size=(3, 3, 3), strides=(2, 2, 2), border_mode="same",
                            dim_ordering="tf"), (2, 5, 5, 4, 2), (None, 3, 3, 2, 2)),
    (AveragePooling3D, dict(pool_size=(2, 1, 2), dim_ordering="th"), (2, 2, 5, 5, 4),
     (None, 2, 2, 5, 2)),
    (GlobalMaxPooling3D, dict(dim_ordering="th"), (2, 3, 3, 4, 2), (None, 3)),
    (GlobalMaxPooling3D, dict(dim_ordering="tf"), (2, 3, 3, 4, 2), (None, 2)),
    (GlobalAveragePooling3D, dict(dim_ordering="th"), (2, 3, 3, 4, 2), (None, 3)),
    (GlobalAveragePooling3D, dict(dim_ordering="tf"), (2, 3, 3, 4, 2), (None, 2)),
])
def test_pooling3d_layer_test(cls, kwargs, shape, out, backend):
    config.set_backend(backend)
    layer_test(cls, kwargs, input_shape=shape, expected_output_shape=out, expected_params=0)


def test_pooling3d_values_and_errors():
    x = np.random.RandomState(0).uniform(-1, 1, (2, 2, 4, 4, 4)).astype("float32")
    y = Sequential([AveragePooling3D(dim_ordering="th", input_shape=x.shape[1:])]).predict(x)
    np.testing.assert_allclose(y, x.reshape(2, 2, 2, 2, 2, 2, 2, 2)
                               .mean(axis=(3, 5, 7)), atol=1e-6)
    g = Sequential([GlobalAveragePooling3D(dim_ordering="th",
                                           input_shape=x.shape[1:])]).predict(x)
    np.testing.assert_allclose(g, x.mean(axis=(2, 3, 4)), atol=1e-6)
    with pytest.raises(ValueError, match="maxpooling3d_\\d+.*too small"):
        Sequential([MaxPooling3D((3, 3, 3), dim_ordering="th", input_shape=(1, 2, 4, 4))])
    with pytest.raises(ValueError, match="border_mode"):
        MaxPooling3D(border_mode="full")
    with pytest.raises(ValueError, match="strides"):
        AveragePooling3D(strides=(1, 0, 1))
    assert MaxPooling3D(padding="same", data_format="channels_first").border_mode == "same"
