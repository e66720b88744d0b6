"""Layer names are free text, as in Keras 1 (issue 11 item 4).

A layer keeps its name everywhere Keras shows it (``layer.name``, ``get_layer``, ``summary``,
HDF5 groups, JSON configs); only the key it has as a torch submodule is derived from it.
"""
import json

import numpy as np
import pytest

from keras_compat.layers import Dense, Input
from keras_compat.models import Model, Sequential, load_model

NAMES = ["input", "layers", "a.b", "with space", "output"]


def _sequential():
    model = Sequential()
    model.add(Dense(3, input_dim=4, name=NAMES[0]))
    for name in NAMES[1:]:
        model.add(Dense(3, name=name))
    return model


def _functional():
    x = first = Input(shape=(4,), name="input")
    for name in NAMES[1:]:
        x = Dense(3, name=name)(x)
    return Model(first, x)


def test_sequential_submodule_keys_avoid_attributes_and_dots():
    model = _sequential()
    assert [layer.name for layer in model.layers] == NAMES
    assert list(model._modules) == ["input_", "layers_", "a_b", "with space", "output_"]
    assert sorted(model.state_dict())[:2] == ["a_b.bias", "a_b.weight"]
    assert model.get_layer("a.b") is model.layers[2]
    assert model.get_layer("output") is model.layers[-1]
    # The model's own attributes are untouched by the layers' names.
    assert model.output is model.layers[-1].output
    assert isinstance(model.layers, list)


def test_ordinary_names_keep_their_state_dict_keys():
    model = Sequential()
    model.add(Dense(2, input_dim=3))
    model.add(Dense(1, name="my_dense"))
    assert list(model.state_dict()) == ["dense_1.weight", "dense_1.bias", "my_dense.weight",
                                        "my_dense.bias"]
    a = Input(shape=(3,))
    functional = Model(a, Dense(1)(a))
    assert list(functional.state_dict()) == ["dense_2.weight", "dense_2.bias"]


def test_colliding_keys_are_made_unique():
    model = Sequential()
    model.add(Dense(2, input_dim=3, name="a.b"))
    model.add(Dense(2, name="a_b"))
    model.add(Dense(2, name="loss"))
    assert list(model._modules) == ["a_b", "a_b_", "loss_"]
    model.compile("sgd", "mse")
    assert model.loss == "mse"
    a = Input(shape=(3,), name="in")
    functional = Model(a, Dense(1, name="history")(Dense(2, name="loss")(a)))
    assert "loss_" in functional._modules and functional.loss is None
    functional.compile("sgd", "mse")
    assert functional.loss == "mse"


@pytest.mark.parametrize("build", [_sequential, _functional])
def test_summary_shows_names_as_given(build, capsys):
    build().summary()
    text = capsys.readouterr().out
    for name in NAMES[1:]:
        assert "%s (Dense)" % name in text
    assert "with space[0][0]" in text and "a.b[0][0]" in text


@pytest.mark.parametrize("build", [_sequential, _functional])
@pytest.mark.parametrize("suffix", ["h5", "pt"])
def test_free_text_names_round_trip_through_save_and_load(build, suffix, tmp_path):
    model = build()
    model.compile("sgd", "mse")
    x = np.random.rand(5, 4).astype("float32")
    path = str(tmp_path / ("model." + suffix))
    model.save(path)
    loaded = load_model(path)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)
    config = json.loads(model.to_json())["config"]
    names = [c["config"]["name"] for c in config] if isinstance(config, list) else \
        [c["name"] for c in config["layers"]]
    assert names[-4:] == NAMES[1:]
    weights = str(tmp_path / ("weights." + suffix))
    model.save_weights(weights)
    fresh = build()
    fresh.load_weights(weights)
    np.testing.assert_allclose(fresh.predict(x), model.predict(x), rtol=1e-6)


def test_h5_groups_carry_the_names(tmp_path):
    h5py = pytest.importorskip("h5py")
    model = _sequential()
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as handle:
        names = [n.decode() if isinstance(n, bytes) else n for n in handle.attrs["layer_names"]]
    assert names == NAMES


def test_empty_name_is_automatic_and_non_string_names_are_refused():
    assert Dense(2, name="").name == "dense_1"  # Keras 1: a false name means "choose one"
    with pytest.raises(ValueError, match="Layer name 3 is not valid"):
        Dense(2, name=3)
