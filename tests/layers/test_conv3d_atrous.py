"""Convolution3D, AtrousConvolution1D/2D, Deconvolution2D and SeparableConvolution2D:
the generic layer harness, Keras-1 parameter counts, fans, aliases and build-time errors."""
import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers.convolutional import (AtrousConv1D, AtrousConvolution1D,
                                               AtrousConvolution2D, Conv3D, Convolution3D,
                                               Deconvolution2D, SeparableConvolution2D)
from keras_compat.models import Sequential
from keras_compat.testing import layer_test


@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("kwargs,shape,out", [
    (dict(dim_ordering="th"), (2, 2, 4, 5, 4), (None, 3, 3, 3, 3)),
    (dict(dim_ordering="tf", border_mode="same", subsample=(2, 1, 2)), (2, 5, 4, 4, 2),
     (None, 3, 4, 2, 3)),
    (dict(dim_ordering="th", border_mode="full", bias=False), (2, 2, 3, 3, 3),
     (None, 3, 4, 5, 4)),
])
def test_convolution3d_layer_test(kwargs, shape, out, backend):
    config.set_backend(backend)
    channels = shape[1] if kwargs["dim_ordering"] == "th" else shape[-1]
    params = 3 * channels * 2 * 3 * 2 + (0 if kwargs.get("bias") is False else 3)
    layer_test(Convolution3D, dict(nb_filter=3, kernel_dim1=2, kernel_dim2=3, kernel_dim3=2,
                                   **kwargs),
               input_shape=shape, expected_output_shape=out, expected_params=params)


def test_convolution3d_weights_layout_and_tf_fan_quirk():
    layer = Convolution3D(4, 3, 3, 3, dim_ordering="tf", init="glorot_uniform",
                          input_shape=(6, 6, 6, 8))
    Sequential([layer])
    W, b = layer.get_weights()
    assert W.shape == (3, 3, 3, 8, 4) and b.shape == (4,)
    # Keras-1 'tf' fans count only the first two kernel dims: 9*8 in, 9*4 out
    limit = np.sqrt(6.0 / (9 * 8 + 9 * 4))
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.8 * limit
    th = Convolution3D(4, 3, 3, 3, dim_ordering="th", input_shape=(8, 6, 6, 6))
    Sequential([th])
    assert th.get_weights()[0].shape == (4, 8, 3, 3, 3)


def test_convolution3d_keras2_spelling_and_errors():
    layer = Conv3D(filters=2, kernel_size=(1, 2, 3), strides=2, padding="same",
                   data_format="channels_first")
    assert (layer.kernel_dim1, layer.kernel_dim2, layer.kernel_dim3) == (1, 2, 3)
    assert layer.subsample == (2, 2, 2) and layer.dim_ordering == "th"
    assert layer.border_mode == "same"
    with pytest.raises(ValueError, match="three positional ints"):
        Convolution3D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="border_mode"):
        Convolution3D(2, 3, 3, 3, border_mode="half")
    with pytest.raises(ValueError, match="subsample"):
        Convolution3D(2, 3, 3, 3, subsample=(1, 0, 1))
    with pytest.raises(ValueError, match="convolution3d_\\d+.*too small"):
        Sequential([Convolution3D(2, 3, 3, 3, dim_ordering="th", input_shape=(1, 2, 5, 5))])


@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("kwargs,out", [
    (dict(atrous_rate=2), (None, 6, 3)),
    (dict(atrous_rate=3, border_mode="same"), (None, 10, 3)),
    (dict(atrous_rate=2, border_mode="full", subsample_length=2), (None, 7, 3)),
])
def test_atrous_convolution1d_layer_test(kwargs, out, backend):
    config.set_backend(backend)
    layer_test(AtrousConvolution1D, dict(nb_filter=3, filter_length=3, **kwargs),
               input_shape=(2, 10, 4), expected_output_shape=out,
               expected_params=3 * 1 * 4 * 3 + 3)


def test_atrous_convolution1d_weights_and_th_fan_quirk():
    layer = AtrousConv1D(64, 5, atrous_rate=2, input_dim=32, input_length=20)
    Sequential([layer])
    W = layer.get_weights()[0]
    assert W.shape == (5, 1, 32, 64)
    # 'th' fans on the 4-D (L, 1, in, out) kernel: fan_in = 32*64, fan_out = 5*32*64
    limit = np.sqrt(6.0 / (32 * 64 + 5 * 32 * 64))
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.9 * limit
    assert AtrousConvolution1D(2, 3, dilation_rate=4).atrous_rate == 4
    with pytest.raises(ValueError, match="atrousconvolution1d_\\d+.*too small"):
        Sequential([AtrousConvolution1D(2, 3, atrous_rate=4, input_shape=(8, 2))])


@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("kwargs,shape,out", [
    (dict(atrous_rate=(2, 2), dim_ordering="th"), (2, 3, 9, 9), (None, 4, 5, 5)),
    (dict(atrous_rate=(2, 1), dim_ordering="tf", border_mode="same"), (2, 8, 7, 3),
     (None, 8, 7, 4)),
    (dict(atrous_rate=(1, 2), dim_ordering="tf", subsample=(2, 2), bias=False), (2, 9, 9, 3),
     (None, 4, 3, 4)),
])
def test_atrous_convolution2d_layer_test(kwargs, shape, out, backend):
    config.set_backend(backend)
    params = 4 * 3 * 9 + (0 if kwargs.get("bias") is False else 4)
    layer_test(AtrousConvolution2D, dict(nb_filter=4, nb_row=3, nb_col=3, **kwargs),
               input_shape=shape, expected_output_shape=out, expected_params=params)


def test_atrous_convolution2d_aliases():
    layer = AtrousConvolution2D(4, 3, 3, dilation_rate=2, padding="same")
    assert layer.atrous_rate == (2, 2) and layer.border_mode == "same"
    assert layer.get_config()["atrous_rate"] == (2, 2)


@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
@pytest.mark.parametrize("kwargs,shape", [
    (dict(output_shape=(None, 3, 9, 9), subsample=(2, 2), dim_ordering="th"), (2, 2, 4, 4)),
    (dict(output_shape=(None, 8, 8, 3), subsample=(2, 2), dim_ordering="tf",
          border_mode="same"), (2, 4, 4, 2)),
    (dict(output_shape=(None, 3, 6, 7), dim_ordering="th", border_mode="full"), (2, 2, 8, 9)),
    (dict(output_shape=(None, 10, 10, 3), subsample=(2, 2), dim_ordering="tf"), (2, 4, 4, 2)),
])
def test_deconvolution2d_layer_test(kwargs, shape, backend):
    config.set_backend(backend)
    out = kwargs["output_shape"]
    layer_test(Deconvolution2D, dict(nb_filter=3, nb_row=3, nb_col=3, **kwargs),
               input_shape=shape, expected_output_shape=out,
               expected_params=3 * 2 * 9 + 3)


def test_deconvolution2d_weight_layout_and_config():
    layer = Deconvolution2D(5, 3, 2, output_shape=(None, 7, 6, 5), subsample=(2, 2),
                            dim_ordering="tf", input_shape=(3, 3, 4))
    Sequential([layer])
    assert [w.shape for w in layer.get_weights()] == [(3, 2, 4, 5), (5,)]
    assert layer.get_config()["output_shape"] == (None, 7, 6, 5)
    th = Deconvolution2D(5, 3, 2, output_shape=(None, 5, 7, 6), subsample=(2, 2),
                         dim_ordering="th", input_shape=(4, 3, 3))
    Sequential([th])
    assert th.get_weights()[0].shape == (5, 4, 3, 2)


def test_deconvolution2d_matches_the_gradient_of_convolution2d():
    """Independent check: TF deconv == autograd input-gradient of the same-weights conv."""
    config.set_backend("tensorflow")
    rng = np.random.RandomState(1)
    layer = Deconvolution2D(3, 3, 3, output_shape=(None, 3, 9, 9), subsample=(2, 2),
                            dim_ordering="th", bias=False, input_shape=(2, 4, 4))
    model = Sequential([layer])
    kernel = rng.uniform(-1, 1, (3, 2, 3, 3)).astype("float32")
    layer.set_weights([kernel])
    g = rng.uniform(-1, 1, (1, 2, 4, 4)).astype("float32")
    image = torch.zeros(1, 3, 9, 9, requires_grad=True)
    # forward conv: 3 input channels -> 2 output channels, weight (out=2, in=3): Keras W^T
    y = torch.nn.functional.conv2d(image, torch.from_numpy(kernel).permute(1, 0, 2, 3),
                                   stride=2)
    (y * torch.from_numpy(g)).sum().backward()
    np.testing.assert_allclose(model.predict(g), image.grad.numpy(), atol=1e-5)


def test_deconvolution2d_errors():
    with pytest.raises(ValueError, match="output_shape"):
        Deconvolution2D(3, 3, 3, output_shape=(9, 9))
    with pytest.raises(ValueError, match="nb_filter=3"):
        Deconvolution2D(3, 3, 3, output_shape=(None, 4, 9, 9), dim_ordering="th")
    with pytest.raises(ValueError, match="deconvolution2d_\\d+.*does not match"):
        Sequential([Deconvolution2D(3, 3, 3, output_shape=(None, 3, 20, 20), subsample=(2, 2),
                                    dim_ordering="th", input_shape=(2, 4, 4))])


@pytest.mark.parametrize("kwargs,shape,out", [
    (dict(dim_ordering="tf", border_mode="same", depth_multiplier=2), (2, 7, 7, 3),
     (None, 7, 7, 7)),
    (dict(dim_ordering="th", subsample=(2, 2)), (2, 3, 8, 7), (None, 7, 3, 3)),
    (dict(dim_ordering="tf", bias=False, depth_multiplier=2), (2, 5, 5, 2), (None, 3, 3, 7)),
])
def test_separable_convolution2d_layer_test(kwargs, shape, out):
    config.set_backend("tensorflow")
    channels = shape[1] if kwargs["dim_ordering"] == "th" else shape[-1]
    dm = kwargs.get("depth_multiplier", 1)
    params = 9 * channels * dm + dm * channels * 7 + (0 if kwargs.get("bias") is False else 7)
    layer_test(SeparableConvolution2D, dict(nb_filter=7, nb_row=3, nb_col=3, **kwargs),
               input_shape=shape, expected_output_shape=out, expected_params=params)


def test_separable_convolution2d_layouts_and_errors():
    config.set_backend("tensorflow")
    layer = SeparableConvolution2D(8, 3, 2, depth_multiplier=2, dim_ordering="th",
                                   input_shape=(3, 6, 6))
    Sequential([layer])
    assert [w.shape for w in layer.get_weights()] == [(2, 3, 3, 2), (8, 6, 1, 1), (8,)]
    tf = SeparableConvolution2D(8, 3, 2, depth_multiplier=2, dim_ordering="tf",
                                input_shape=(6, 6, 3))
    Sequential([tf])
    assert [w.shape for w in tf.get_weights()] == [(3, 2, 3, 2), (1, 1, 6, 8), (8,)]
    with pytest.raises(ValueError, match="separableconvolution2d_\\d+.*overparameterized"):
        Sequential([SeparableConvolution2D(4, 3, 3, depth_multiplier=2, dim_ordering="tf",
                                           input_shape=(6, 6, 3))])
    with pytest.raises(ValueError, match="border_mode"):
        SeparableConvolution2D(4, 3, 3, border_mode="full")
    config.set_backend("theano")
    with pytest.raises(RuntimeError, match="only available with the TensorFlow backend"):
        SeparableConvolution2D(4, 3, 3)
