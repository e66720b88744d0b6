"""Suite-wide set-up: deterministic seeds and fresh layer names for every test, and the
``oracle``/``data_path`` fixtures for the reference data under tests/data."""
import random

import numpy as np
import pytest
import torch

from keras_compat.backend import config, device, naming

import reference_data


@pytest.fixture
def oracle():
    """``oracle(case, backend="theano")`` -> :class:`reference_data.OracleCase` (Keras 1.2.2's arrays)."""
    return reference_data.oracle


@pytest.fixture
def data_path():
    """``data_path(*parts)`` -> the path of a committed file under tests/data (missing: failure)."""
    return reference_data.data_path


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch, tmp_path):
    # Tests never read the developer's ~/.keras and always run on the CPU unless marked cuda.
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    config.reload()
    device.set_device("cpu")
    naming.reset_uids()
    np.random.seed(0)
    random.seed(0)
    torch.manual_seed(0)
    yield
    config.reload()
    device.set_device(None)


def pytest_collection_modifyitems(config, items):
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if "cuda" in item.keywords:
            item.add_marker(skip)
