"""GaussianNoise / GaussianDropout: harness, identity at test time, training-phase statistics."""
import numpy as np
import pytest
import torch

from keras_compat._args.rules import ArgumentError
from keras_compat.layers.core import Masking
from keras_compat.layers.noise import GaussianDropout, GaussianNoise
from keras_compat.models import Sequential
from keras_compat.testing.layer_test import layer_test


@pytest.mark.parametrize("sigma", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("input_shape", [(3, 4), (2, 3, 4), (2, 2, 3, 3)])
def test_gaussian_noise_harness(sigma, input_shape):
    x = np.random.uniform(-1, 1, input_shape).astype("float32")
    layer_test(GaussianNoise, {"sigma": sigma}, input_data=x, expected_output=x)


@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 1.0])
@pytest.mark.parametrize("input_shape", [(3, 4), (2, 3, 4)])
def test_gaussian_dropout_harness(p, input_shape):
    x = np.random.uniform(-1, 1, input_shape).astype("float32")
    layer_test(GaussianDropout, {"p": p}, input_data=x, expected_output=x)


def test_gaussian_noise_statistics_in_training():
    layer = GaussianNoise(0.5)
    layer.train()
    x = torch.full((200, 500), 2.0)
    noise = layer(x) - x
    assert abs(float(noise.mean())) < 0.01
    assert abs(float(noise.std()) - 0.5) < 0.01
    layer.eval()
    assert torch.equal(layer(x), x)


def test_gaussian_dropout_statistics_in_training():
    layer = GaussianDropout(0.2)
    layer.train()
    x = torch.full((200, 500), 3.0)
    factor = layer(x) / x
    assert abs(float(factor.mean()) - 1.0) < 0.01
    assert abs(float(factor.std()) - np.sqrt(0.2 / 0.8)) < 0.01
    for p in (0.0, 1.0, 1.5):  # outside (0, 1): the identity even in training, as Keras 1
        identity = GaussianDropout(p)
        identity.train()
        assert torch.equal(identity(x), x)


def test_noise_in_fit_but_not_in_predict():
    x = np.random.uniform(-1, 1, (16, 5)).astype("float32")
    from keras_compat.layers.core import Dense
    model = Sequential([Dense(5, input_dim=5, weights=[np.eye(5), np.zeros(5)]),
                        GaussianNoise(1.0)])
    np.testing.assert_allclose(model.predict(x), x, atol=1e-7)
    model.compile(optimizer="sgd", loss="mse")
    assert model.test_on_batch(x, x) < 1e-12
    loss = model.train_on_batch(x, x)  # the loss before the update: E[noise^2] = sigma^2 = 1
    assert 0.5 < loss < 1.5


def test_masks_pass_through():
    x = np.random.uniform(-1, 1, (2, 4, 3)).astype("float32")
    x[1, 2:] = 0
    for layer in (GaussianNoise(0.1), GaussianDropout(0.3)):
        model = Sequential([Masking(input_shape=(4, 3)), layer])
        assert model.layers[-1].output_has_mask(True)
        mask = torch.tensor([[True, True], [False, False]])
        assert layer.compute_mask(torch.from_numpy(x), mask) is mask
        np.testing.assert_array_equal(model.predict(x), x)


def test_config_and_keras2_spellings():
    assert GaussianNoise(0.3).get_config()["sigma"] == 0.3
    assert GaussianDropout(0.4).get_config()["p"] == 0.4
    assert GaussianNoise(stddev=0.2).sigma == 0.2
    assert GaussianDropout(rate=0.1).p == 0.1
    with pytest.raises(ArgumentError, match="GaussianDropout"):
        GaussianDropout(0.1, rate=0.2)


def test_bad_arguments():
    with pytest.raises(ValueError, match="GaussianNoise: sigma"):
        GaussianNoise(-0.1)
    with pytest.raises(ValueError, match="GaussianNoise: sigma"):
        GaussianNoise("0.1")
    with pytest.raises(ValueError, match="GaussianDropout: p"):
        GaussianDropout(None)
    with pytest.raises(ArgumentError, match="GaussianNoise"):
        GaussianNoise()


def test_dropout_noise_shape_and_seed_as_keras1():
    """Keras 1.2.2 ``Dropout(p, noise_shape=None, seed=None)``: one mask broadcast along the
    axes where noise_shape is 1; the seed makes the masks reproducible; config stores p only."""
    import numpy as np
    import torch
    from keras_compat.layers import Dropout

    layer = Dropout(0.5, noise_shape=(4, 1, 6), seed=7)
    layer.build_for((4, 5, 6))
    layer.train()
    out = layer(torch.ones(4, 5, 6)).numpy()
    assert set(np.unique(out)) <= {0.0, 2.0}
    np.testing.assert_array_equal(out, np.repeat(out[:, :1, :], 5, axis=1))
    again = Dropout(0.5, noise_shape=(None, 1, None), seed=7)
    again.build_for((4, 5, 6))
    again.train()
    np.testing.assert_array_equal(again(torch.ones(4, 5, 6)).numpy(), out)
    assert layer.get_config()["p"] == 0.5 and "noise_shape" not in layer.get_config()
    layer.eval()
    np.testing.assert_array_equal(layer(torch.ones(4, 5, 6)).numpy(), np.ones((4, 5, 6)))


def test_dropout_noise_shape_of_the_wrong_rank_names_the_layer():
    import pytest
    import torch
    from keras_compat.layers import Dropout

    layer = Dropout(0.5, noise_shape=(4, 6), name="drop")
    layer.build_for((4, 5, 6))
    layer.train()
    with pytest.raises(ValueError, match=r"Layer drop: noise_shape \(4, 6\) must have one entry "
                                         r"per input axis"):
        layer(torch.ones(4, 5, 6))
