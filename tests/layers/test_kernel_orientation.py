"""The one kernel-orientation rule of the convolution family (layers/convolutional/base_conv.py).

Torch parameters hold the kernel in torch's cross-correlation orientation under every
emulated backend; a Theano-emulating layer shows Theano's true-convolution kernel (the
parameter flipped on its spatial axes) in its Keras-1 view, and nothing flips at run time.
"""
import os

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from keras_compat.backend import config
from keras_compat.layers import (AtrousConvolution2D, Convolution1D, Convolution2D,
                                 Convolution3D, ConvLSTM2D, Deconvolution2D)
from keras_compat.models import Sequential, model_from_json
from keras_compat.saving import backend_detect

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "hdf5")


def _random_weights(layer, seed=0):
    rng = np.random.RandomState(seed)
    layer.set_weights([rng.uniform(-1, 1, w.shape).astype("float32")
                       for w in layer.get_weights()])


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_theano_conv2d_parameter_is_the_flipped_keras_kernel_and_forward_does_not_flip(ordering):
    config.set_backend("theano")
    shape = (2, 6, 5) if ordering == "th" else (6, 5, 2)
    model = Sequential([Convolution2D(3, 3, 2, dim_ordering=ordering, input_shape=shape)])
    layer = model.layers[0]
    _random_weights(layer)
    kernel, bias = layer.get_weights()
    th_kernel = kernel if ordering == "th" else kernel.transpose(3, 2, 0, 1)
    # the parameter: Theano's kernel flipped on both spatial axes, through the layer's spec
    np.testing.assert_array_equal(layer.weight.detach().numpy(), th_kernel[:, :, ::-1, ::-1])
    spec = layer.weight_specs()[0]
    assert torch.equal(layer.weight, spec.from_keras(torch.from_numpy(kernel)))
    # run time: F.conv2d on the parameter as it is
    x = np.random.RandomState(1).randn(2, *shape).astype("float32")
    xc = torch.from_numpy(x if ordering == "th" else x.transpose(0, 3, 1, 2))
    expected = F.conv2d(xc, layer.weight, layer.bias).detach().numpy()
    if ordering == "tf":
        expected = expected.transpose(0, 2, 3, 1)
    np.testing.assert_allclose(model.predict(x), expected, atol=1e-6)
    # the Keras-1 view is Theano's true convolution: a direct correlation with the
    # flipped Keras kernel gives the same numbers
    direct = F.conv2d(xc, torch.from_numpy(np.ascontiguousarray(th_kernel[:, :, ::-1, ::-1])),
                      torch.from_numpy(bias)).numpy()
    np.testing.assert_allclose(expected if ordering == "th" else expected.transpose(0, 3, 1, 2),
                               direct, atol=1e-6)


@pytest.mark.parametrize("make, shape, conv", [
    (lambda: Convolution1D(3, 3, input_shape=(7, 2)), (7, 2),
     lambda x, l: F.conv1d(x.transpose(1, 2), l.weight, l.bias).transpose(1, 2)),
    (lambda: Convolution3D(2, 2, 3, 2, dim_ordering="th", input_shape=(2, 4, 5, 4)),
     (2, 4, 5, 4), lambda x, l: F.conv3d(x, l.weight, l.bias)),
    (lambda: AtrousConvolution2D(2, 2, 2, atrous_rate=(2, 1), dim_ordering="th",
                                 input_shape=(2, 6, 5)),
     (2, 6, 5), lambda x, l: F.conv2d(x, l.weight, l.bias, dilation=(2, 1))),
    (lambda: Deconvolution2D(2, 3, 3, output_shape=(None, 2, 7, 7), dim_ordering="th",
                             input_shape=(3, 5, 5)),
     (3, 5, 5), lambda x, l: F.conv_transpose2d(x, l.weight, l.bias)),
])
def test_theano_family_runs_the_parameter_as_it_is(make, shape, conv):
    config.set_backend("theano")
    model = Sequential([make()])
    layer = model.layers[0]
    _random_weights(layer)
    assert torch.equal(layer.weight,
                       layer.weight_specs()[0].from_keras(torch.from_numpy(layer.get_weights()[0])))
    x = np.random.RandomState(2).randn(2, *shape).astype("float32")
    np.testing.assert_allclose(model.predict(x), conv(torch.from_numpy(x), layer).detach().numpy(),
                               atol=1e-5)


def test_conv_lstm2d_theano_kernels_are_flipped_views_of_the_parameters():
    config.set_backend("theano")
    model = Sequential([ConvLSTM2D(2, 3, 3, dim_ordering="th", input_shape=(3, 1, 5, 5))])
    layer = model.layers[0]
    _random_weights(layer)
    weights = dict(zip(layer.keras1_weight_names(), layer.get_weights()))
    for gate in ("i", "c", "f", "o"):
        for kind in ("W_", "U_"):
            param = getattr(layer, kind + gate).detach().numpy()
            np.testing.assert_array_equal(param, weights["%s_%s%s" % (layer.name, kind, gate)]
                                          [:, :, ::-1, ::-1])
        np.testing.assert_array_equal(getattr(layer, "b_" + gate).detach().numpy(),
                                      weights["%s_b_%s" % (layer.name, gate)])


def _convnet_th(backend):
    config.set_image_dim_ordering("th")
    config.set_backend(backend)
    with open(os.path.join(DATA, "convnet_th.json")) as handle:
        model = model_from_json(handle.read())
    model.load_weights(os.path.join(DATA, "convnet_th_weights.h5"), original_backend="theano")
    return model


def test_one_orientation_a_theano_file_gives_both_backends_the_same_parameters():
    pytest.importorskip("h5py")
    ref = np.load(os.path.join(DATA, "convnet_th.npz"))
    as_theano, as_tensorflow = _convnet_th("theano"), _convnet_th("tensorflow")
    convs = [(a, b) for a, b in zip(as_theano.layers, as_tensorflow.layers)
             if isinstance(a, Convolution2D)]
    assert len(convs) == 2
    for a, b in convs:
        assert a.backend == "theano" and b.backend == "tensorflow"
        assert torch.equal(a.weight, b.weight)
        # the Keras-1 views differ by Theano's flip
        np.testing.assert_array_equal(a.get_weights()[0], b.get_weights()[0][:, :, ::-1, ::-1])
    # odd kernels, stride 1: 'same' is placed alike, so both reproduce Keras 1's predictions
    for model in (as_theano, as_tensorflow):
        np.testing.assert_allclose(model.predict(ref["x"]), ref["y"], atol=1e-5)


def test_version1_state_dict_of_a_theano_layer_loads_as_before():
    """An older keras_compat held a Theano-emulating layer's Keras-1 (true-convolution)
    kernel in its parameter; such a state_dict (torch records version 1) converts."""
    config.set_backend("theano")
    model = Sequential([Convolution2D(2, 3, 3, dim_ordering="th", input_shape=(1, 5, 5),
                                      name="conv")])
    layer = model.layers[0]
    _random_weights(layer)
    expected = layer.get_weights()
    old = model.state_dict()
    old[layer_key(model, layer) + "weight"] = torch.from_numpy(expected[0])  # old orientation
    for key in old._metadata:
        old._metadata[key]["version"] = 1
    fresh = Sequential([Convolution2D(2, 3, 3, dim_ordering="th", input_shape=(1, 5, 5),
                                      name="conv")])
    fresh.load_state_dict(old)
    for got, want in zip(fresh.layers[0].get_weights(), expected):
        np.testing.assert_array_equal(got, want)
    # today's state_dict (version 2) and a plain dict of today's tensors load as they are
    fresh.load_state_dict(model.state_dict())
    assert torch.equal(fresh.layers[0].weight, layer.weight)
    fresh.load_state_dict(dict(model.state_dict()))
    assert torch.equal(fresh.layers[0].weight, layer.weight)


def layer_key(model, layer):
    return next(name for name, module in model.named_modules() if module is layer) + "."


def test_legacy_pt_kernel_orientation_converts_an_unmarked_state_dict():
    config.set_backend("theano")
    model = Sequential([Convolution2D(2, 3, 3, dim_ordering="tf", input_shape=(5, 5, 1))])
    layer = model.layers[0]
    _random_weights(layer)
    today = {k: v.detach().clone() for k, v in model.state_dict().items()}
    key = layer_key(model, layer)
    # an older file: the parameter held the Keras-1 view's orientation (no flip), torch layout
    old = dict(today)
    old[key + "weight"] = layer.weight.detach().flip((2, 3))
    converted = backend_detect.legacy_pt_kernel_orientation(model, old)
    assert set(converted) == set(today)
    for name in today:
        assert torch.equal(converted[name], today[name]), name
    # under emulated TensorFlow nothing ever flipped
    config.set_backend("tensorflow")
    tf_model = Sequential([Convolution2D(2, 3, 3, dim_ordering="tf", input_shape=(5, 5, 1))])
    state = {k: v.detach().clone() for k, v in tf_model.state_dict().items()}
    for name, tensor in backend_detect.legacy_pt_kernel_orientation(tf_model, state).items():
        assert torch.equal(tensor, state[name])


def test_pt_files_mark_the_kernel_orientation(tmp_path):
    config.set_backend("theano")
    model = Sequential([Convolution2D(2, 3, 3, dim_ordering="th", input_shape=(1, 5, 5))])
    model.compile("sgd", "mse")
    model.save_weights(str(tmp_path / "w.pt"))
    model.save(str(tmp_path / "m.pt"))
    for name in ("w.pt", "m.pt"):
        payload = torch.load(str(tmp_path / name), weights_only=True)
        assert payload["kernel_orientation"] == backend_detect.PT_KERNEL_ORIENTATION
