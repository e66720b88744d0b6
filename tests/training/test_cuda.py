"""CUDA runs (skipped without a GPU): same numbers as on the CPU, model and state on the device."""
import numpy as np
import pytest
import torch

from keras_compat.backend import device
from keras_compat.layers import Activation, Convolution2D, Dense, Flatten, MaxPooling2D
from keras_compat.models import Sequential

pytestmark = pytest.mark.cuda


def _convnet():
    np.random.seed(1)
    return Sequential([Convolution2D(4, 3, 3, border_mode="same", input_shape=(3, 8, 8),
                                     dim_ordering="th"),
                       Activation("relu"), MaxPooling2D(dim_ordering="th"), Flatten(), Dense(3),
                       Activation("softmax")])


def _train(device_name, x, y):
    device.set_device(device_name)
    model = _convnet()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(x, y, nb_epoch=2, batch_size=4, shuffle=False, verbose=0)
    return model, history


def test_training_on_cuda_matches_cpu():
    x = np.random.rand(16, 3, 8, 8).astype("float32")
    y = np.eye(3)[np.random.randint(0, 3, 16)]
    cpu_model, cpu_history = _train("cpu", x, y)
    cuda_model, cuda_history = _train("cuda", x, y)
    assert next(cuda_model.parameters()).device.type == "cuda"
    np.testing.assert_allclose(cuda_history.history["loss"], cpu_history.history["loss"], atol=1e-5)
    for a, b in zip(cpu_model.get_weights(), cuda_model.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(cuda_model.predict(x), cpu_model.predict(x), atol=1e-5)
    assert all(state.device.type == "cuda"
               for group in cuda_model.optimizer.torch_optimizer.state.values()
               for state in group.values() if isinstance(state, torch.Tensor) and state.dim() > 0)


@pytest.mark.parametrize("inner_activation", ["sigmoid", "hard_sigmoid"])
def test_lstm_on_cuda_matches_cpu(inner_activation):
    from keras_compat.layers import LSTM
    x = np.random.rand(6, 7, 5).astype("float32")
    y = np.random.rand(6, 4).astype("float32")
    results = []
    for name in ("cpu", "cuda"):
        device.set_device(name)
        np.random.seed(3)
        model = Sequential([LSTM(4, inner_activation=inner_activation, input_shape=(7, 5))])
        model.compile(loss="mse", optimizer="sgd")
        before = model.predict(x)
        loss = model.train_on_batch(x, y)
        results.append((before, loss, model.get_weights()))
    (cpu_pred, cpu_loss, cpu_w), (gpu_pred, gpu_loss, gpu_w) = results
    np.testing.assert_allclose(gpu_pred, cpu_pred, atol=1e-5)
    assert gpu_loss == pytest.approx(cpu_loss, abs=1e-5)
    for a, b in zip(cpu_w, gpu_w):
        np.testing.assert_allclose(a, b, atol=1e-5)
