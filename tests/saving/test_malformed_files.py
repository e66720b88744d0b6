"""Every malformed file is refused with a ValueError naming the file and what is wrong."""
import json
import os
import random

import numpy as np
import pytest
import torch

h5py = pytest.importorskip("h5py")

from keras_compat.layers import Dense  # noqa: E402
from keras_compat.models import Sequential, load_model  # noqa: E402


def _model():
    model = Sequential([Dense(4, input_dim=3, name="a"), Dense(2, name="b")])
    model.compile("adam", "mse")
    return model


@pytest.mark.parametrize("part", ["model_config", "weights", "optimizer_weights",
                                  "layer_names"])
def test_pt_model_with_marker_but_missing_part(tmp_path, part):
    path = str(tmp_path / "m.pt")
    _model().save(path)
    payload = torch.load(path, weights_only=True)
    del payload[part]
    torch.save(payload, path)
    with pytest.raises(ValueError) as info:
        load_model(path)
    assert str(info.value) == ("%s: the file has the 'keras_compat.model' marker but no %r part "
                               "(damaged or hand-made file)" % (path, part))


def test_pt_weights_with_missing_layer_and_wrong_types(tmp_path):
    path = str(tmp_path / "w.pt")
    model = _model()
    model.save_weights(path)
    payload = torch.load(path, weights_only=True)
    del payload["weights"]["b"]
    torch.save(payload, path)
    with pytest.raises(ValueError, match="^%s: the file lists layer 'b' but holds no weights for "
                                         "it" % path):
        model.load_weights(path)
    payload["weights"] = [1, 2]
    torch.save(payload, path)
    with pytest.raises(ValueError, match="^%s: the file's 'weights' part is a list" % path):
        model.load_weights(path)


def test_bad_model_config_json_names_the_file(tmp_path):
    path = str(tmp_path / "m.h5")
    _model().save(path)
    with h5py.File(path, "r+") as handle:
        handle.attrs["model_config"] = b'{"class_name": "Sequential", "config": [}'
    with pytest.raises(ValueError, match="^%s: model_config: the config is not valid JSON "
                                         r"\(Expecting value" % path):
        load_model(path)
    with h5py.File(path, "r+") as handle:
        handle.attrs["model_config"] = json.dumps({"class_name": "Nope", "config": {}}).encode()
    with pytest.raises(ValueError, match="^%s: the model_config cannot be rebuilt: .*Nope"
                                         % path):
        load_model(path)


def test_keras0_layout_with_missing_group_names_the_file(tmp_path):
    path = str(tmp_path / "old.h5")
    with h5py.File(path, "w") as handle:  # Keras 0.x save_weights: layer_<k> groups
        handle.attrs["nb_layers"] = 2
        group = handle.create_group("layer_0")
        group.attrs["nb_params"] = 2
        group.create_dataset("param_0", data=np.zeros((3, 4), "float32"))
        group.create_dataset("param_1", data=np.zeros(4, "float32"))
    with pytest.raises(ValueError, match="^%s: the HDF5 file is damaged or does not have the "
                                         "Keras-1 layout \\(KeyError: " % path):
        _model().load_weights(path)


@pytest.mark.parametrize("name", ["m.h5", "m.pt", "w.h5", "w.pt"])
def test_truncated_and_bit_flipped_files(tmp_path, name):
    """Whatever the damage: loaded (a flip in the numbers) or a ValueError naming the file."""
    model = _model()
    path = str(tmp_path / name)
    (model.save if name[0] == "m" else model.save_weights)(path)
    data = open(path, "rb").read()
    rng = random.Random(name)
    bad = str(tmp_path / ("bad_" + name))
    outcomes = set()
    for trial in range(24):
        if trial % 2 == 0:
            damaged = data[:rng.randrange(len(data))]
        else:
            damaged = bytearray(data)
            for _ in range(rng.choice([1, 4, 16])):
                damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        with open(bad, "wb") as handle:
            handle.write(bytes(damaged))
        try:
            if name[0] == "m":
                load_model(bad)
            else:
                _model().load_weights(bad)
            outcomes.add("loaded")
        except ValueError as exc:
            assert bad in str(exc)
            outcomes.add("refused")
    assert "refused" in outcomes
