"""The memory layout convolutions run in is the engine's choice (``fastest_layout``: NCHW on
this CPU except for one-channel inputs, which run channels-last; channels-last everywhere
measured and kept switchable), invisible to Keras-1 code: same values as the plain NCHW
convolution, outputs and weights in Keras-1 layout and C-contiguous."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from keras_compat import backend as K
from keras_compat.layers import Convolution2D, Dense, Flatten, MaxPooling2D
from keras_compat.layers.convolutional import base_conv
from keras_compat.layers.convolutional.base_conv import fastest_layout
from keras_compat.models import Sequential


def convnet(ordering):
    shape = (2, 9, 9) if ordering == "th" else (9, 9, 2)
    model = Sequential([Convolution2D(4, 3, 3, input_shape=shape, dim_ordering=ordering,
                                      activation="relu"),
                        Convolution2D(3, 3, 3, dim_ordering=ordering, border_mode="same"),
                        MaxPooling2D(dim_ordering=ordering), Flatten(), Dense(2)])
    model.compile(loss="mse", optimizer="sgd")
    return model


def reference(model, x, ordering):
    """The same network written with contiguous NCHW tensors and F.conv2d."""
    t = torch.from_numpy(x if ordering == "th" else np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
    first, second, _, _, dense = model.layers
    t = F.relu(F.conv2d(t.contiguous(), first.weight.detach(), first.bias.detach()))
    t = F.conv2d(t, second.weight.detach(), second.bias.detach(), padding=1)
    t = F.max_pool2d(t, 2)
    if ordering == "tf":
        t = t.permute(0, 2, 3, 1)
    return F.linear(t.reshape(len(x), -1), dense.weight.detach(), dense.bias.detach()).numpy()


@pytest.fixture(params=[False, True], ids=["nchw", "channels_last"])
def cpu_layout(request, monkeypatch):
    monkeypatch.setattr(base_conv, "CPU_CHANNELS_LAST", request.param)
    return request.param


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_outputs_equal_the_nchw_convolution_in_keras1_layout(ordering, cpu_layout):
    model = convnet(ordering)
    x = np.random.rand(5, *model.input_shape[1:]).astype("float32")
    out = model.predict(x, batch_size=2)
    np.testing.assert_allclose(out, reference(model, x, ordering), rtol=1e-5, atol=1e-6)
    conv_out = K.function([model.input], [model.layers[1].output])([x])[0]
    assert conv_out.shape == (5,) + model.layers[1].output_shape[1:]
    assert conv_out.flags["C_CONTIGUOUS"]
    single = Sequential([Convolution2D(4, 3, 3, input_shape=model.input_shape[1:],
                                       dim_ordering=ordering)])
    assert single.predict(x).flags["C_CONTIGUOUS"]
    kernel = model.layers[0].get_weights()[0]
    assert kernel.shape == ((4, 2, 3, 3) if ordering == "th" else (3, 3, 2, 4))
    assert model.layers[0].weight.is_contiguous()  # the parameter keeps torch's layout


def test_training_steps_equal_with_either_layout(monkeypatch):
    x = np.random.rand(6, 2, 9, 9).astype("float32")
    y = np.random.rand(6, 2).astype("float32")
    np.random.seed(3)
    fast = convnet("th")
    np.random.seed(3)
    plain = convnet("th")
    plain.set_weights(fast.get_weights())
    monkeypatch.setattr(base_conv, "CPU_CHANNELS_LAST", True)
    losses_fast = [float(fast.train_on_batch(x, y)) for _ in range(3)]
    monkeypatch.setattr(base_conv, "CPU_CHANNELS_LAST", False)
    losses_plain = [float(plain.train_on_batch(x, y)) for _ in range(3)]
    np.testing.assert_allclose(losses_fast, losses_plain, rtol=1e-5)
    for a, b in zip(fast.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_the_cpu_layout_follows_the_measured_choice(monkeypatch):
    x = torch.rand(2, 3, 5, 5)
    assert fastest_layout(x, 2, True) is x  # NCHW: measured no faster (see base_conv)
    monkeypatch.setattr(base_conv, "CPU_CHANNELS_LAST", True)
    chosen = fastest_layout(x, 2, True)
    if torch.backends.mkldnn.is_available():
        assert chosen.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(chosen, x)
    assert fastest_layout(torch.rand(2, 3, 5), 1, True).is_contiguous()


def test_one_channel_inputs_run_channels_last():
    # oneDNN's NCHW kernel for one input channel is about 10x slower on this CPU (base_conv).
    x = torch.rand(2, 1, 5, 7)
    chosen = fastest_layout(x, 2, True)
    assert torch.equal(chosen, x)
    if torch.backends.mkldnn.is_available():
        assert chosen.stride() == (35, 1, 7, 1)  # channels-last strides, not NCHW's
        assert F.conv2d(chosen, torch.rand(4, 1, 3, 3)).is_contiguous(
            memory_format=torch.channels_last)


def test_a_one_channel_convnet_trains_as_the_nchw_one(monkeypatch):
    def one_channel_net():
        model = Sequential([Convolution2D(4, 3, 3, input_shape=(1, 9, 9), dim_ordering="th",
                                          activation="relu"),
                            Convolution2D(3, 3, 3, dim_ordering="th"),
                            MaxPooling2D(dim_ordering="th"), Flatten(), Dense(2)])
        model.compile(loss="mse", optimizer="sgd")
        return model

    x = np.random.rand(6, 1, 9, 9).astype("float32")
    y = np.random.rand(6, 2).astype("float32")
    fast, plain = one_channel_net(), one_channel_net()
    plain.set_weights(fast.get_weights())
    losses_fast = [float(fast.train_on_batch(x, y)) for _ in range(3)]
    monkeypatch.setattr(base_conv, "fastest_layout", lambda x, rank, static_shape: x)
    losses_plain = [float(plain.train_on_batch(x, y)) for _ in range(3)]
    np.testing.assert_allclose(losses_fast, losses_plain, rtol=1e-5)
    for a, b in zip(fast.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert fast.predict(x).flags["C_CONTIGUOUS"]
