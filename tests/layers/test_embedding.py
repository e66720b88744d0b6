"""Embedding: oracle parity, harness, shapes, masks, dropout, Keras-2 spellings, errors."""
import json

import numpy as np
import pytest
import torch

from keras_compat.backend import config
from keras_compat.layers.core import Dense, Flatten
from keras_compat.layers.core.activation import Activation
from keras_compat.layers.embeddings import Embedding
from keras_compat.models import Sequential
from keras_compat.testing import layer_test


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_oracle_embedding(backend, oracle):
    config.set_backend(backend)
    inputs = oracle("embedding").inputs
    expected = oracle("embedding", backend)["y"]
    model = Sequential([Embedding(input_dim=20, output_dim=4, input_length=6)])
    model.set_weights([inputs["w_00"]])
    assert model.keras1_weight_names() == ["embedding_1_W"]
    x = inputs["x_0"]
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), expected, atol=1e-5, rtol=0)
    meta = oracle("embedding", backend).meta
    keras1 = meta["config"][0]["config"]
    ours = Embedding(input_dim=20, output_dim=4, input_length=6, name=keras1["name"]).get_config()
    assert json.loads(json.dumps(ours)) == keras1


@pytest.mark.parametrize("kwargs", [
    {"input_dim": 10, "output_dim": 3},
    {"input_dim": 10, "output_dim": 3, "input_length": 5},
    {"input_dim": 6, "output_dim": 2, "mask_zero": True, "init": "normal"},
    {"input_dim": 8, "output_dim": 4, "dropout": 0.5, "W_regularizer": "l2", "W_constraint": "maxnorm"},
])
def test_harness(kwargs):
    x = np.random.randint(0, 4, size=(3, 5)).astype("int32")
    out = layer_test(Embedding, kwargs=kwargs, input_data=x, input_dtype="int32",
                     expected_output_shape=(None, 5, kwargs["output_dim"]),
                     expected_params=kwargs["input_dim"] * kwargs["output_dim"])
    assert out.shape == (3, 5, kwargs["output_dim"])


def test_lookup_matches_weight_rows():
    layer = Embedding(7, 3, input_length=4)
    model = Sequential([layer])
    w = np.arange(21, dtype="float32").reshape(7, 3)
    model.set_weights([w])
    x = np.array([[0, 6, 2, 2], [1, 1, 5, 3]], dtype="int32")
    np.testing.assert_array_equal(model.predict(x), w[x])
    # float indices are truncated like Keras 1's cast to int32
    np.testing.assert_array_equal(model.predict(x.astype("float32")), w[x])


def test_declares_input_shape_and_dtype():
    layer = Embedding(10, 3)
    assert layer.batch_input_shape == (None, None) and layer.input_dtype == "int32"
    layer = Embedding(10, 3, input_length=7)
    assert layer.batch_input_shape == (None, 7)
    config_ = layer.get_config()
    assert config_["batch_input_shape"] == (None, 7) and config_["input_dtype"] == "int32"
    assert set(config_) == {"name", "trainable", "batch_input_shape", "input_dtype", "input_dim",
                            "output_dim", "init", "input_length", "W_regularizer",
                            "activity_regularizer", "W_constraint", "mask_zero", "dropout"}
    assert config_["init"] == "uniform"


def test_init_uniform_range():
    model = Sequential([Embedding(50, 20)])
    w = model.get_weights()[0]
    assert w.shape == (50, 20) and np.abs(w).max() <= 0.05


def test_flatten_dense_shapes():
    model = Sequential([Embedding(input_dim=200, output_dim=32, input_length=50), Flatten(), Dense(1)])
    assert model.layers[0].output_shape == (None, 50, 32)
    assert model.layers[1].output_shape == (None, 1600)
    assert model.output_shape == (None, 1)


def test_flatten_without_input_length_keras1_message():
    model = Sequential([Embedding(10, 4)])
    assert model.output_shape == (None, None, 4)
    with pytest.raises(ValueError) as info:
        model.add(Flatten())
    assert str(info.value).startswith(
        'The shape of the input to "Flatten" is not fully defined (got (None, 4). Make sure to pass '
        'a complete "input_shape" or "batch_input_shape" argument to the first layer in your model.')


def test_index_out_of_range_names_layer():
    model = Sequential([Embedding(5, 2, input_length=3, name="emb")])
    with pytest.raises(ValueError, match=r"emb.*index 5 is out of range.*input_dim=5"):
        model.predict(np.array([[0, 1, 5]], dtype="int32"))
    with pytest.raises(ValueError, match=r"emb.*index -1 is out of range"):
        model.predict(np.array([[0, -1, 2]], dtype="int32"))


def test_input_length_mismatch():
    with pytest.raises(ValueError, match="input_length=4"):
        Sequential([Embedding(5, 2, input_length=4, batch_input_shape=(None, 3))])


def test_mask_zero():
    layer = Embedding(5, 2, input_length=3, mask_zero=True)
    assert layer.output_has_mask(False)
    x = torch.tensor([[0, 1, 2], [3, 0, 0]])
    np.testing.assert_array_equal(layer.compute_mask(x).numpy(), (x != 0).numpy())
    assert Embedding(5, 2).compute_mask(x) is None
    assert not Embedding(5, 2).output_has_mask(False)
    # the mask flows through masking layers and is refused by others (Keras 1 message)
    model = Sequential([Embedding(5, 2, input_length=3, mask_zero=True), Activation("tanh")])
    assert model.predict(np.array([[0, 1, 2]], "int32")).shape == (1, 3, 2)
    with pytest.raises(ValueError, match="does not support masking"):
        model.add(Flatten())


def test_dropout_drops_whole_rows_in_training_only():
    layer = Embedding(40, 6, dropout=0.5, input_length=20)
    model = Sequential([layer])
    w = np.random.uniform(0.5, 1.5, size=(40, 6)).astype("float32")
    model.set_weights([w])
    x = torch.from_numpy(np.tile(np.arange(40), 2).reshape(4, 20))
    layer.train()
    out = layer(x).detach().numpy()
    rows = out.reshape(-1, 6)
    idx = x.numpy().reshape(-1)
    for row, i in zip(rows, idx):
        # each word's vector is either all zero or the row scaled by 1/(1-p)
        assert np.allclose(row, 0) or np.allclose(row, w[i] * 2.0, rtol=1e-6)
    # the same word is dropped consistently within a batch
    for i in range(40):
        picks = rows[idx == i]
        assert np.allclose(picks, picks[0])
    dropped = sum(np.allclose(rows[idx == i][0], 0) for i in range(40))
    assert 0 < dropped < 40
    layer.eval()
    np.testing.assert_array_equal(layer(x).detach().numpy(), w[x.numpy()])


def test_keras2_spellings_same_config():
    keras2 = Embedding(10, 3, embeddings_initializer="random_uniform", embeddings_regularizer="l2",
                       embeddings_constraint="nonneg", name="e").get_config()
    keras1 = Embedding(10, 3, init="uniform", W_regularizer="l2", W_constraint="nonneg",
                       name="e").get_config()
    assert keras2 == keras1
    with pytest.raises(TypeError, match="both"):
        Embedding(10, 3, init="uniform", embeddings_initializer="uniform")


def test_bad_arguments():
    with pytest.raises(ValueError, match="dropout"):
        Embedding(10, 3, dropout=1.0)
    with pytest.raises(ValueError, match="input_dim"):
        Embedding(0, 3)
