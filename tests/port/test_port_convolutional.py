"""model.to_torch() for the rest of the convolutional family: dilated, transposed and separable
convolutions, padding/cropping/upsampling, global pooling, locally-connected layers and
ConvLSTM2D, under both emulated backends and both orderings."""
import numpy as np
import pytest
import torch

from keras_compat import layers as L
from keras_compat.backend.convolution import conv_output_length
from keras_compat.backend import config
from keras_compat.models import Sequential
from keras_compat.port import PortError
from keras_compat.port.registry import supported_classes, translator_for


def _randomize(model):
    for layer in model.layers:
        arrays = layer.get_weights()
        if arrays:
            layer.set_weights([(np.random.randn(*a.shape) * 0.5).astype("float32")
                               for a in arrays])
    return model


def _ported_output(ported, x):
    with torch.no_grad():
        return ported(torch.from_numpy(x)).numpy()


def _check(model, x, atol=1e-6):
    ported = model.to_torch()  # loads its state_dict with load_state_dict (strict)
    assert isinstance(ported, torch.nn.Module) and not ported.training
    expected = model.predict(x)
    got = _ported_output(ported, x)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=atol, rtol=0)
    return ported


def _image_shape(ordering, channels, *spatial):
    return (channels,) + spatial if ordering == "th" else spatial + (channels,)


def _batch(shape, n=2):
    return np.random.randn(n, *shape).astype("float32")


# -- dilated convolutions ---------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("border_mode,kernel,rate,stride", [
    ("valid", 3, 2, 1), ("same", 3, 2, 1), ("same", 2, 3, 2), ("full", 3, 2, 1),
    ("valid", 2, 2, 2)])
def test_atrous_convolution1d(backend, border_mode, kernel, rate, stride):
    config.set_backend(backend)
    model = _randomize(Sequential([
        L.AtrousConvolution1D(3, kernel, atrous_rate=rate, border_mode=border_mode,
                              subsample_length=stride, activation="tanh", input_shape=(11, 2))]))
    ported = _check(model, _batch((11, 2)))
    assert "dilation=(%d,)" % rate in ported._keras_compat_source


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("border_mode,kernel,rate,stride", [
    ("valid", (3, 2), (2, 3), (1, 1)), ("same", (3, 3), (2, 2), (1, 1)),
    ("same", (2, 3), (2, 1), (2, 1)), ("full", (3, 2), (1, 2), (1, 1))])
def test_atrous_convolution2d(backend, ordering, border_mode, kernel, rate, stride):
    config.set_backend(backend)
    shape = _image_shape(ordering, 2, 9, 8)
    model = _randomize(Sequential([
        L.AtrousConvolution2D(3, kernel[0], kernel[1], atrous_rate=rate, subsample=stride,
                              border_mode=border_mode, dim_ordering=ordering,
                              input_shape=shape)]))
    _check(model, _batch(shape))


# -- transposed convolution ---------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("border_mode,kernel,stride,out_size", [
    ("valid", (3, 3), (1, 1), (7, 6)),
    ("valid", (3, 2), (2, 2), (8, 7)),    # one more row/col than the transposed conv gives
    ("same", (3, 3), (2, 2), (8, 7)),
    ("same", (2, 2), (1, 1), (5, 6)),     # Theano even kernel: cut out of the full result
    ("same", (2, 2), (2, 2), (8, 7)),     # Theano: rows zero-filled (bias only) at the end
    ("same", (4, 3), (2, 3), (9, 7)),
    ("full", (3, 3), (2, 1), (6, 5))])
def test_deconvolution2d(backend, ordering, border_mode, kernel, stride, out_size):
    config.set_backend(backend)
    in_size = [conv_output_length(n, k, border_mode, s)
               for n, k, s in zip(out_size, kernel, stride)]
    shape = _image_shape(ordering, 3, *in_size)
    out_shape = (None,) + _image_shape(ordering, 2, *out_size)
    model = _randomize(Sequential([
        L.Deconvolution2D(2, kernel[0], kernel[1], output_shape=out_shape, subsample=stride,
                          border_mode=border_mode, dim_ordering=ordering, activation="relu",
                          input_shape=shape)]))
    assert model.output_shape == out_shape
    _check(model, _batch(shape))


def test_deconvolution2d_without_bias_chains_with_convolution():
    config.set_backend("theano")
    model = _randomize(Sequential([
        L.Convolution2D(3, 3, 3, subsample=(2, 2), border_mode="same", dim_ordering="th",
                        input_shape=(2, 8, 8)),
        L.Deconv2D(2, 2, 2, output_shape=(None, 2, 8, 8), subsample=(2, 2), border_mode="same",
                   bias=False, dim_ordering="th")]))
    _check(model, _batch((2, 8, 8)))


# -- separable convolution (TensorFlow only in Keras 1.2.2) -----------------------------------
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("border_mode,kernel,stride,multiplier,bias", [
    ("valid", 3, 1, 1, True), ("same", 3, 2, 2, True), ("same", 4, 1, 2, False),
    ("valid", 2, 2, 3, True)])
def test_separable_convolution2d(ordering, border_mode, kernel, stride, multiplier, bias):
    config.set_backend("tensorflow")
    shape = _image_shape(ordering, 2, 7, 8)
    model = _randomize(Sequential([
        L.SeparableConvolution2D(6, kernel, kernel, depth_multiplier=multiplier,
                                 subsample=(stride, stride), border_mode=border_mode, bias=bias,
                                 dim_ordering=ordering, activation="sigmoid",
                                 input_shape=shape)]))
    ported = _check(model, _batch(shape))
    assert ported.separableconvolution2d_1_depthwise.groups == 2


# -- padding, cropping, upsampling, global pooling ---------------------------------------------
def test_padding_cropping_upsampling_1d():
    model = Sequential([L.ZeroPadding1D((1, 2), input_shape=(5, 3)), L.Cropping1D((2, 0)),
                        L.UpSampling1D(3), L.Cropping1D((0, 4)), L.ZeroPadding1D(0),
                        L.Cropping1D((1, 1))])
    _check(model, _batch((5, 3)), atol=0)


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_padding_cropping_upsampling_2d(ordering):
    shape = _image_shape(ordering, 2, 4, 5)
    model = Sequential([
        L.ZeroPadding2D((1, 2, 0, 3), dim_ordering=ordering, input_shape=shape),
        L.Cropping2D(((0, 1), (2, 0)), dim_ordering=ordering),
        L.UpSampling2D((2, 1), dim_ordering=ordering),
        L.Cropping2D(((1, 2), (1, 1)), dim_ordering=ordering)])
    _check(model, _batch(shape), atol=0)


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_padding_cropping_upsampling_3d(ordering):
    shape = _image_shape(ordering, 2, 3, 2, 4)
    model = Sequential([
        L.ZeroPadding3D(((1, 0), 2, (0, 1)), dim_ordering=ordering, input_shape=shape),
        L.UpSampling3D((1, 2, 3), dim_ordering=ordering),
        L.Cropping3D(((1, 1), (0, 3), (2, 1)), dim_ordering=ordering)])
    _check(model, _batch(shape), atol=0)


@pytest.mark.parametrize("nd,ordering", [(1, None), (2, "th"), (2, "tf"), (3, "th"), (3, "tf")])
@pytest.mark.parametrize("mode", ["Max", "Average"])
def test_global_pooling(nd, ordering, mode):
    shape = (6, 3) if nd == 1 else _image_shape(ordering, 3, *(4, 5, 3)[:nd])
    kwargs = {} if nd == 1 else {"dim_ordering": ordering}
    layer = getattr(L, "Global%sPooling%dD" % (mode, nd))(input_shape=shape, **kwargs)
    _check(Sequential([layer, L.Dense(2)]), _batch(shape, 3))


# -- locally-connected layers -----------------------------------------------------------------
@pytest.mark.parametrize("stride,bias", [(1, True), (2, True), (3, False)])
def test_locally_connected1d(stride, bias):
    model = _randomize(Sequential([
        L.LocallyConnected1D(4, 3, subsample_length=stride, bias=bias, activation="relu",
                             input_shape=(10, 3))]))
    ported = _check(model, _batch((10, 3)))
    np.testing.assert_array_equal(ported.state_dict()["locallyconnected1d_1_W"].numpy(),
                                  model.layers[0].get_weights()[0])


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("kernel,stride", [((3, 2), (1, 1)), ((2, 3), (2, 2))])
def test_locally_connected2d(backend, ordering, kernel, stride):
    config.set_backend(backend)
    shape = _image_shape(ordering, 2, 6, 7)
    model = _randomize(Sequential([
        L.LocallyConnected2D(3, kernel[0], kernel[1], subsample=stride, dim_ordering=ordering,
                             input_shape=shape)]))
    _check(model, _batch(shape))


# -- ConvLSTM2D -------------------------------------------------------------------------------
def _conv_lstm(ordering, steps=3, rows=5, cols=4, channels=2, **kwargs):
    shape = (steps,) + _image_shape(ordering, channels, rows, cols)
    layer = L.ConvLSTM2D(2, kwargs.pop("kernel", 3), kwargs.pop("kernel_cols", 3),
                         dim_ordering=ordering, input_shape=shape, **kwargs)
    return _randomize(Sequential([layer])), shape


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
@pytest.mark.parametrize("ordering", ["th", "tf"])
@pytest.mark.parametrize("kwargs", [
    dict(border_mode="valid"),
    dict(border_mode="same", kernel=2, return_sequences=True, go_backwards=True),
    dict(border_mode="same", kernel_cols=2, subsample=(2, 1), inner_activation="sigmoid",
         return_sequences=True),
    dict(border_mode="valid", subsample=(1, 2), go_backwards=True, activation="relu",
         dropout_W=0.3, dropout_U=0.2)], ids=["valid", "same_even_backwards", "same_strided",
                                             "valid_strided_backwards"])
def test_conv_lstm2d(backend, ordering, kwargs):
    config.set_backend(backend)
    model, shape = _conv_lstm(ordering, **dict(kwargs))
    _check(model, _batch(shape))


def test_conv_lstm2d_stateful_carries_and_resets_states():
    config.set_backend("theano")
    shape = (3, 5, 4, 2)
    model = _randomize(Sequential([L.ConvLSTM2D(2, 2, 3, border_mode="same", stateful=True,
                                                dim_ordering="tf", batch_input_shape=(2,) + shape,
                                                return_sequences=True)]))
    ported = model.to_torch()
    first, second = _batch(shape), _batch(shape)
    for x in (first, second):  # the second call starts from the states the first ended with
        np.testing.assert_allclose(_ported_output(ported, x), model.predict(x, batch_size=2),
                                   atol=1e-6, rtol=0)
    model.reset_states()
    ported.reset_states()
    np.testing.assert_allclose(_ported_output(ported, first), model.predict(first, batch_size=2),
                               atol=1e-6, rtol=0)
    # a port made mid-sequence starts from the states the model holds now
    again = model.to_torch()
    np.testing.assert_allclose(_ported_output(again, second),
                               model.predict(second, batch_size=2), atol=1e-6, rtol=0)


@pytest.mark.parametrize("stateful", [False, True])
def test_conv_lstm2d_masked_steps_keep_the_states(stateful):
    # Masking over 1x1 images (channels last): a step is padding when all its channels are 0.
    shape = (4, 1, 1, 3)
    batch = (2,) + shape if stateful else None
    model = _randomize(Sequential([
        L.Masking(0.0, batch_input_shape=batch, input_shape=None if stateful else shape),
        L.ConvLSTM2D(2, 1, 1, dim_ordering="tf", return_sequences=True, stateful=stateful)]))
    x = _batch(shape)
    x[0, 1] = 0.0
    x[1, 0] = 0.0
    x[1, 3] = 0.0
    ported = model.to_torch()
    for _ in range(2 if stateful else 1):
        np.testing.assert_allclose(_ported_output(ported, x), model.predict(x, batch_size=2),
                                   atol=1e-6, rtol=0)


# -- registry and refusals -------------------------------------------------------------------
def test_keras2_aliases_are_the_same_classes_and_registered():
    config.set_backend("tensorflow")
    for alias, name in [("AtrousConv1D", "AtrousConvolution1D"),
                        ("AtrousConv2D", "AtrousConvolution2D"),
                        ("Deconv2D", "Deconvolution2D"),
                        ("SeparableConv2D", "SeparableConvolution2D")]:
        assert getattr(L, alias) is getattr(L, name)
        assert getattr(L, alias) in supported_classes()  # registered by class
    layer = L.SeparableConv2D(4, 3, 3, input_shape=(5, 5, 2), dim_ordering="tf")
    assert translator_for(layer).__name__ == "separable_convolution2d"


def test_unknown_spatial_size_is_refused_with_the_layer_name():
    config.set_backend("tensorflow")
    model = Sequential([L.AtrousConvolution2D(2, 3, 3, atrous_rate=(2, 2), border_mode="same",
                                              dim_ordering="tf", input_shape=(None, None, 2))])
    with pytest.raises(PortError, match=r"atrousconvolution2d_1 \(AtrousConvolution2D\) has an "
                                        r"unknown spatial input size"):
        model.to_torch()
    lstm = Sequential([L.ConvLSTM2D(2, 3, 3, dim_ordering="th", input_shape=(3, 2, None, 5))])
    with pytest.raises(PortError, match=r"convlstm2d_1 \(ConvLSTM2D\) has an unknown spatial"):
        lstm.to_torch()
