"""LocallyConnected1D/2D: harness, Keras-1 weight layout/params, fans, numerics vs a loop."""
import numpy as np
import pytest

from keras_compat.layers.local import LocallyConnected1D, LocallyConnected2D
from keras_compat.models import Sequential
from keras_compat.testing import layer_test


@pytest.mark.parametrize("kwargs,out", [
    (dict(), (None, 7, 3)),
    (dict(subsample_length=2, activation="relu"), (None, 4, 3)),
    (dict(bias=False, W_regularizer="l2"), (None, 7, 3)),
])
def test_locally_connected1d_layer_test(kwargs, out):
    steps = out[1]
    params = steps * 3 * 4 * 3 + (0 if kwargs.get("bias") is False else steps * 3)
    layer_test(LocallyConnected1D, dict(nb_filter=3, filter_length=3, **kwargs),
               input_shape=(2, 9, 4), expected_output_shape=out, expected_params=params)


@pytest.mark.parametrize("kwargs,shape,out", [
    (dict(dim_ordering="th"), (2, 2, 5, 6), (None, 3, 4, 4)),
    (dict(dim_ordering="tf", subsample=(2, 1)), (2, 5, 6, 2), (None, 2, 4, 3)),
    (dict(dim_ordering="th", bias=False, subsample=(1, 2)), (2, 2, 5, 6), (None, 3, 4, 2)),
])
def test_locally_connected2d_layer_test(kwargs, shape, out):
    positions = out[1] * out[2]
    if kwargs["dim_ordering"] == "th":
        positions = out[2] * out[3]
    params = positions * 2 * 3 * 2 * 3 + (0 if kwargs.get("bias") is False else positions * 3)
    layer_test(LocallyConnected2D, dict(nb_filter=3, nb_row=2, nb_col=3, **kwargs),
               input_shape=shape, expected_output_shape=out, expected_params=params)


def test_locally_connected1d_layout_fans_and_loop_reference():
    layer = LocallyConnected1D(5, 3, subsample_length=2, input_dim=4, input_length=9)
    model = Sequential([layer])
    W, b = layer.get_weights()
    assert W.shape == (4, 12, 5) and b.shape == (4, 5)
    # 3-D kernel: Keras-1 fans fall back to sqrt(prod(shape)) = sqrt(240) each
    limit = np.sqrt(6.0 / (2 * np.sqrt(240.0)))
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.8 * limit
    rng = np.random.RandomState(0)
    W = rng.uniform(-1, 1, W.shape).astype("float32")
    b = rng.uniform(-1, 1, b.shape).astype("float32")
    layer.set_weights([W, b])
    x = rng.uniform(-1, 1, (2, 9, 4)).astype("float32")
    want = np.stack([x[:, 2 * i:2 * i + 3, :].reshape(2, -1) @ W[i] + b[i] for i in range(4)], 1)
    np.testing.assert_allclose(model.predict(x), want, atol=1e-5)


@pytest.mark.parametrize("ordering", ["th", "tf"])
def test_locally_connected2d_patch_order_and_bias_quirk(ordering):
    shape = (2, 5, 6) if ordering == "th" else (5, 6, 2)
    layer = LocallyConnected2D(3, 2, 3, subsample=(2, 1), dim_ordering=ordering,
                               input_shape=shape)
    model = Sequential([layer])
    rng = np.random.RandomState(1)
    W = rng.uniform(-1, 1, (2 * 4, 2 * 3 * 2, 3)).astype("float32")
    b = rng.uniform(-1, 1, (2, 4, 3)).astype("float32")
    layer.set_weights([W, b])
    x = rng.uniform(-1, 1, (2,) + shape).astype("float32")
    out = np.zeros((2, 2, 4, 3), "float32")
    for i in range(2):
        for j in range(4):
            if ordering == "th":
                patch = x[:, :, 2 * i:2 * i + 2, j:j + 3]
            else:
                patch = x[:, 2 * i:2 * i + 2, j:j + 3, :]
            out[:, i, j] = patch.reshape(2, -1) @ W[i * 4 + j]
    if ordering == "th":
        want = out.transpose(0, 3, 1, 2) + b.reshape(1, 3, 2, 4)  # reshaped, not transposed
    else:
        want = out + b
    np.testing.assert_allclose(model.predict(x), want, atol=1e-5)


def test_locally_connected_errors_and_aliases():
    with pytest.raises(ValueError, match="only 'valid'"):
        LocallyConnected1D(3, 3, border_mode="same")
    with pytest.raises(ValueError, match="only 'valid'"):
        LocallyConnected2D(3, 3, 3, border_mode="same")
    with pytest.raises(ValueError, match="locallyconnected1d_\\d+.*must be known"):
        Sequential([LocallyConnected1D(3, 3, input_shape=(None, 4))])
    with pytest.raises(ValueError, match="locallyconnected2d_\\d+.*too small"):
        Sequential([LocallyConnected2D(3, 3, 3, dim_ordering="tf", input_shape=(2, 5, 1))])
    layer = LocallyConnected2D(filters=2, kernel_size=(2, 3), strides=(1, 2),
                               data_format="channels_first")
    assert (layer.nb_row, layer.nb_col, layer.subsample, layer.dim_ordering) == (2, 3, (1, 2),
                                                                                 "th")
    assert LocallyConnected1D(filters=2, kernel_size=4, strides=2).subsample_length == 2
