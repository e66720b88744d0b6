"""Batch sources: streaming from host memory gives exactly the in-memory path's results."""
import numpy as np
import pytest
import torch

from keras_compat.backend import device as device_module
from keras_compat.layers import Dense, Input, merge
from keras_compat.models import Model, Sequential
from keras_compat.training import batches


@pytest.fixture(autouse=True)
def _automatic_streaming(monkeypatch):
    monkeypatch.delenv(batches.ENVIRONMENT_VARIABLE, raising=False)
    yield
    batches.set_streaming(None)


def _mlp(seed=0):
    np.random.seed(seed)
    model = Sequential([Dense(8, input_dim=5, activation="relu"), Dense(3, activation="softmax")])
    model.compile("rmsprop", "categorical_crossentropy", metrics=["accuracy"])
    return model


def _data(n=37, seed=1):
    rng = np.random.RandomState(seed)
    x = rng.rand(n, 5).astype("float32")
    y = np.eye(3, dtype="float32")[rng.randint(0, 3, n)]
    return x, y


def _run(mode, build, action):
    """``action(model)`` under streaming ``mode``, with the same model and NumPy RNG state."""
    batches.set_streaming(mode)
    model = build()
    np.random.seed(7)
    result = action(model)
    return result, [w.copy() for w in model.get_weights()]


def _assert_same(streamed, in_memory):
    (result_s, weights_s), (result_m, weights_m) = streamed, in_memory
    if hasattr(result_s, "history"):
        result_s, result_m = result_s.history, result_m.history
        assert result_s.keys() == result_m.keys()
        for key in result_s:
            assert result_s[key] == result_m[key], key
    else:
        for got, want in zip(_as_list(result_s), _as_list(result_m)):
            np.testing.assert_array_equal(got, want)
    for got, want in zip(weights_s, weights_m):
        np.testing.assert_array_equal(got, want)


def _as_list(value):
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("shuffle", [False, True, "batch"])
def test_streamed_fit_equals_in_memory_fit(shuffle):
    x, y = _data()
    weights = np.random.RandomState(3).rand(len(x)).astype("float32")

    def fit(model):
        return model.fit(x, y, batch_size=8, nb_epoch=3, shuffle=shuffle, verbose=0,
                         sample_weight=weights, validation_split=0.2)

    _assert_same(_run("always", _mlp, fit), _run("never", _mlp, fit))


def test_streamed_evaluate_and_predict_equal_in_memory():
    x, y = _data(50)
    weights = np.linspace(0, 2, len(x)).astype("float32")

    def evaluate(model):
        return model.evaluate(x, y, batch_size=16, verbose=0, sample_weight=weights)

    def predict(model):
        return model.predict(x, batch_size=16)

    _assert_same(_run("always", _mlp, evaluate), _run("never", _mlp, evaluate))
    _assert_same(_run("always", _mlp, predict), _run("never", _mlp, predict))


def _two_in_two_out():
    np.random.seed(2)
    a, b = Input(shape=(4,)), Input(shape=(3,))
    hidden = Dense(6, activation="tanh")(merge([a, b], mode="concat"))
    model = Model([a, b], [Dense(2, name="reg")(hidden),
                           Dense(3, activation="softmax", name="cls")(hidden)])
    model.compile("adam", ["mse", "sparse_categorical_crossentropy"], metrics=["accuracy"],
                  loss_weights=[0.5, 1.0])
    return model


def test_streamed_multi_input_multi_output_model_equals_in_memory():
    rng = np.random.RandomState(4)
    xa, xb = rng.rand(30, 4), rng.rand(30, 3).astype("float32")  # float64 is cast as before
    y_reg, y_cls = rng.rand(30, 2).astype("float32"), rng.randint(0, 3, (30, 1))
    weights = [rng.rand(30).astype("float32"), None]

    def fit(model):
        return model.fit([xa, xb], [y_reg, y_cls], batch_size=7, nb_epoch=2, verbose=0,
                         sample_weight=weights, validation_data=([xa, xb], [y_reg, y_cls]))

    def evaluate(model):
        return model.evaluate([xa, xb], [y_reg, y_cls], batch_size=9, verbose=0)

    def predict(model):
        return model.predict([xa, xb], batch_size=9)

    for action in (fit, evaluate, predict):
        _assert_same(_run("always", _two_in_two_out, action),
                     _run("never", _two_in_two_out, action))


def test_forced_streaming_takes_the_streaming_source(monkeypatch):
    x, y = _data()
    made = []
    original = batches.source_for

    def recording(device, tensors, mode=None):
        source = original(device, tensors, mode)
        made.append(type(source).__name__)
        return source

    monkeypatch.setattr(batches, "source_for", recording)
    model = _mlp()
    batches.set_streaming("always")
    model.fit(x, y, batch_size=8, nb_epoch=1, verbose=0, validation_data=(x, y))
    model.predict(x)
    assert made == ["StreamingBatches"] * 3  # train, validation, predict
    made.clear()
    monkeypatch.setenv(batches.ENVIRONMENT_VARIABLE, "always")
    batches.set_streaming(None)
    model.evaluate(x, y, verbose=0)
    monkeypatch.setenv(batches.ENVIRONMENT_VARIABLE, "auto")
    model.evaluate(x, y, verbose=0)  # on the CPU, automatic means in memory
    assert made == ["StreamingBatches", "InMemoryBatches"]


def test_streaming_settings_are_checked(monkeypatch):
    assert batches.streaming_mode() == "auto"
    with pytest.raises(ValueError, match=r"set_streaming\(\): streaming mode must be one of "
                                         r"auto, always, never, got 'sometimes'"):
        batches.set_streaming("sometimes")
    monkeypatch.setenv(batches.ENVIRONMENT_VARIABLE, "on")
    with pytest.raises(ValueError, match="KERAS_COMPAT_STREAMING: streaming mode must be one of"):
        batches.streaming_mode()
    batches.set_streaming("never")  # the setting wins over the environment
    assert batches.streaming_mode() == "never"


def test_automatic_choice_compares_the_data_with_free_device_memory(monkeypatch):
    tensors = [torch.zeros(1000, 250), None]  # 1 MB
    assert not batches.should_stream(torch.device("cpu"), tensors)
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device=None: (3_000_000, 8_000_000))
    assert not batches.should_stream(torch.device("cuda"), tensors)  # 1 MB < half of 3 MB
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device=None: (1_500_000, 8_000_000))
    assert batches.should_stream(torch.device("cuda"), tensors)
    assert not batches.should_stream(torch.device("cuda"), tensors, mode="never")


def test_streaming_epoch_yields_every_batch_once_in_order():
    data = torch.arange(10).reshape(10, 1)
    order = np.array([3, 1, 4, 0, 9, 2, 6, 5, 8, 7])
    ranges = [(0, 4), (4, 8), (8, 10)]
    for source in (batches.StreamingBatches(torch.device("cpu"), [data, None]),
                   batches.InMemoryBatches(torch.device("cpu"), [data, None])):
        got = [batch for batch in source.epoch(ranges, order)]
        assert [b[0].flatten().tolist() for b in got] == [[3, 1, 4, 0], [9, 2, 6, 5], [8, 7]]
        assert all(b[1] is None for b in got)
        assert [b[0].flatten().tolist() for b in source.epoch(ranges)] == [
            [0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


@pytest.mark.cuda
@pytest.mark.parametrize("shuffle", [False, True])
def test_streamed_fit_on_cuda_equals_in_memory(shuffle):
    device_module.set_device("cuda")
    try:
        x, y = _data(300)

        def fit(model):
            return model.fit(x, y, batch_size=32, nb_epoch=2, shuffle=shuffle, verbose=0,
                             validation_data=(x, y))

        def predict(model):
            return model.predict(x, batch_size=64)

        _assert_same(_run("always", _mlp, fit), _run("never", _mlp, fit))
        _assert_same(_run("always", _mlp, predict), _run("never", _mlp, predict))
    finally:
        device_module.set_device(None)


@pytest.mark.cuda
def test_streaming_source_on_cuda_copies_on_a_side_stream():
    host = torch.arange(4096, dtype=torch.float32).reshape(512, 8)
    source = batches.StreamingBatches(torch.device("cuda"), [host])
    ranges = [(start, min(start + 100, 512)) for start in range(0, 512, 100)]
    order = np.random.RandomState(0).permutation(512)
    got = torch.cat([batch[0] for batch in source.epoch(ranges, order)]).cpu()
    assert torch.equal(got, host[torch.from_numpy(order)])
    assert all(buffer.is_pinned() for buffer in source._staging.values())
