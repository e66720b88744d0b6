"""predict/evaluate run in inference mode; predict writes into arrays allocated once."""
import numpy as np
import pytest
import torch

from keras_compat.layers import LSTM, Dense, Input, Lambda
from keras_compat.models import Model, Sequential
from keras_compat.training import batches


def _mlp():
    np.random.seed(0)
    model = Sequential([Dense(6, input_dim=4, activation="tanh"), Dense(3)])
    model.compile("sgd", "mse")
    return model


def _two_outputs():
    np.random.seed(1)
    inp = Input(shape=(4,))
    hidden = Dense(5, activation="relu")(inp)
    model = Model(inp, [Dense(2)(hidden), Dense(3, activation="softmax")(hidden)])
    model.compile("sgd", ["mse", "categorical_crossentropy"])
    return model


def _forbid_concatenation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("predict concatenated its batches")
    monkeypatch.setattr(torch, "cat", refuse)


def _count_allocations(monkeypatch):
    calls = []
    allocate = batches.PredictionArrays._allocate

    def counting(self, outputs):
        calls.append([tuple(o.shape) for o in outputs])
        return allocate(self, outputs)
    monkeypatch.setattr(batches.PredictionArrays, "_allocate", counting)
    return calls


def test_predict_fills_one_array_allocated_after_the_first_batch(monkeypatch):
    model = _mlp()
    x = np.random.RandomState(2).rand(23, 4).astype("float32")
    per_batch = np.concatenate([model.predict_on_batch(x[s:s + 5]) for s in range(0, 23, 5)])
    calls = _count_allocations(monkeypatch)
    _forbid_concatenation(monkeypatch)
    out = model.predict(x, batch_size=5)
    assert calls == [[(5, 3)]]  # once, from the first batch's output shape
    assert out.dtype == np.float32 and out.shape == (23, 3)
    np.testing.assert_array_equal(out, per_batch)


def test_multi_output_predict_fills_one_array_per_output(monkeypatch):
    model = _two_outputs()
    x = np.random.RandomState(3).rand(11, 4)  # float64 in, float32 out as before
    per_batch = [model.predict_on_batch(x[s:s + 4]) for s in range(0, 11, 4)]
    calls = _count_allocations(monkeypatch)
    _forbid_concatenation(monkeypatch)
    first, second = model.predict(x, batch_size=4)
    assert calls == [[(4, 2), (4, 3)]]
    assert first.dtype == second.dtype == np.float32
    np.testing.assert_array_equal(first, np.concatenate([p[0] for p in per_batch]))
    np.testing.assert_array_equal(second, np.concatenate([p[1] for p in per_batch]))


def test_prediction_arrays_refuse_a_change_of_output_shape_or_no_samples():
    outputs = batches.PredictionArrays(6, "cpu")
    outputs.write(0, 4, [torch.zeros(4, 3)])
    with pytest.raises(ValueError, match=r"predict\(\): output 0 has shape \(2, 5\) for samples "
                                         r"4:6 but \(2, 3\) for the first batch"):
        outputs.write(4, 6, [torch.zeros(2, 5)])
    with pytest.raises(ValueError, match=r"returned 2 outputs for samples 4:6 but 1"):
        outputs.write(4, 6, [torch.zeros(2, 3), torch.zeros(2, 3)])
    with pytest.raises(ValueError, match=r"predict\(\) was given no samples"):
        batches.PredictionArrays(0, "cpu").arrays()


def test_predict_and_evaluate_run_in_inference_mode_and_fit_does_not():
    seen = []

    def spy(x):
        seen.append(torch.is_inference_mode_enabled())
        return x

    model = Sequential([Dense(3, input_dim=4), Lambda(spy)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 4), "float32"), np.zeros((8, 3), "float32")
    seen.clear()
    model.predict(x, batch_size=4)
    model.evaluate(x, y, batch_size=4, verbose=0)
    model.test_on_batch(x, y)
    assert seen == [True] * 5
    seen.clear()
    before = model.get_weights()[0].copy()
    model.fit(x, y, batch_size=4, nb_epoch=1, verbose=0)
    assert seen == [False, False]
    assert not np.array_equal(before, model.get_weights()[0])  # it trained after predict


def test_a_layer_first_built_in_inference_mode_can_train():
    layer = Dense(3)
    with torch.inference_mode():
        layer(torch.ones(2, 5))
    assert not any(p.is_inference() for p in layer.parameters())
    layer(torch.ones(2, 5)).sum().backward()
    assert all(p.grad is not None for p in layer.parameters())


def test_stateful_rnn_carries_its_states_through_predict_and_then_trains():
    np.random.seed(4)
    model = Sequential([LSTM(3, stateful=True, batch_input_shape=(2, 4, 2)), Dense(1)])
    model.compile("sgd", "mse")
    x = np.random.RandomState(5).rand(2, 4, 2).astype("float32")
    first = model.predict(x, batch_size=2)
    second = model.predict(x, batch_size=2)
    assert not np.allclose(first, second)  # the states moved on
    states = [s for s in model.layers[0].states]
    assert not any(s.is_inference() for s in states)
    model.reset_states()
    np.testing.assert_array_equal(model.predict(x, batch_size=2), first)
    loss = model.train_on_batch(x, np.zeros((2, 1), "float32"))
    assert np.isfinite(loss)
