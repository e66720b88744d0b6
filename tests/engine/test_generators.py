"""fit_generator / evaluate_generator / predict_generator with Keras-1 sample counting."""
import warnings

import numpy as np
import pytest

from keras_compat.callbacks import LambdaCallback
from keras_compat.layers import Dense, Input, merge
from keras_compat.models import Model, Sequential


def _gen(x, y, batch, counter=None):
    i = 0
    while True:
        if counter is not None:
            counter.append(1)
        sl = slice(i, i + batch)
        yield x[sl], y[sl]
        i = (i + batch) % len(x)


def _model():
    model = Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", "mse", metrics=["mae"])
    return model


def _batch_sizes():
    sizes = []
    return sizes, LambdaCallback(on_batch_end=lambda batch, logs: sizes.append(logs["size"]))


def test_epoch_ends_after_samples_per_epoch_samples():
    x = np.random.rand(40, 3).astype("float32")
    y = x.sum(1, keepdims=True)
    drawn = []
    sizes, counter = _batch_sizes()
    model = _model()
    hist = model.fit_generator(_gen(x, y, 10, drawn), samples_per_epoch=30, nb_epoch=2, verbose=0,
                               callbacks=[counter])
    assert sizes == [10] * 6  # 3 batches of 10 per epoch
    # the worker draws ahead: at most a full queue (max_q_size=10) and the one in its hands
    assert 6 <= len(drawn) <= 6 + 10 + 1
    assert set(hist.history) == {"loss", "mean_absolute_error"}
    drawn.clear()
    model.fit_generator(_gen(x, y, 10, drawn), samples_per_epoch=30, nb_epoch=2, verbose=0,
                        nb_worker=0)
    assert len(drawn) == 6  # drawn in the calling thread: nothing ahead


def test_keras2_steps_per_epoch_counts_batches_not_samples():
    x = np.random.rand(40, 3).astype("float32")
    y = x.sum(1, keepdims=True)
    drawn = []
    sizes, counter = _batch_sizes()
    _model().fit_generator(_gen(x, y, 10, drawn), steps_per_epoch=2, epochs=3, verbose=0,
                           callbacks=[counter], workers=0)
    assert sizes == [10] * 6
    assert len(drawn) == 6


def test_overshoot_warns_and_validation_generator():
    x = np.random.rand(40, 3).astype("float32")
    y = x.sum(1, keepdims=True)
    model = _model()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hist = model.fit_generator(_gen(x, y, 8), samples_per_epoch=20, nb_epoch=1, verbose=0,
                                   validation_data=_gen(x, y, 10), nb_val_samples=20)
    assert any("samples_per_epoch" in str(w.message) for w in caught)
    assert "val_loss" in hist.history
    hist = model.fit_generator(_gen(x, y, 8), samples_per_epoch=16, nb_epoch=1, verbose=0,
                               validation_data=(x, y), max_q_size=5, nb_worker=2, pickle_safe=True)
    assert "val_mean_absolute_error" in hist.history


def test_evaluate_generator_weights_batches_by_size():
    x = np.random.rand(25, 3).astype("float32")
    y = x.sum(1, keepdims=True)
    model = _model()
    direct = model.evaluate(x, y, batch_size=25, verbose=0)
    via_gen = model.evaluate_generator(_gen(x, y, 10), val_samples=25)
    # batches of 10, 10, 5 weighted by their sizes: the whole-set average
    np.testing.assert_allclose(via_gen, direct, rtol=1e-5)


def test_predict_generator_exact_sample_count_and_multi_input():
    a, b = Input(shape=(2,)), Input(shape=(2,))
    model = Model([a, b], Dense(1)(merge([a, b], mode="concat")))
    x = np.random.rand(10, 2).astype("float32")

    def gen():
        while True:
            yield [x[:4], x[:4]]

    out = model.predict_generator(gen(), val_samples=10)
    assert out.shape == (10, 1)
    np.testing.assert_allclose(out[:4], model.predict([x[:4], x[:4]]), rtol=1e-6)


def test_bad_generator_output_and_conflicting_counts():
    model = _model()

    def bad():
        while True:
            yield np.zeros((2, 3))

    with pytest.raises(ValueError, match="output of generator should be a tuple"):
        model.fit_generator(bad(), samples_per_epoch=4, nb_epoch=1, verbose=0)
    with pytest.raises(TypeError, match="not both"):
        model.fit_generator(bad(), samples_per_epoch=4, steps_per_epoch=2, nb_epoch=1)
