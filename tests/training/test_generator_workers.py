"""fit_generator & co. with real workers: threads, forked processes (pickle_safe), a bounded
queue, the generator's order, errors reaching the caller, nothing left running."""
import multiprocessing
import threading
import time

import numpy as np
import pytest

from keras_compat._args.rules import ArgumentError
from keras_compat.callbacks import LambdaCallback
from keras_compat.layers import Dense
from keras_compat.models import Sequential

pytestmark = [
    # Sequential warns as Keras 1.2.2 did when nb_worker > 1 goes with threads.
    pytest.mark.filterwarnings("ignore:The \"nb_worker\" argument is deprecated"),
    # The tests hold a batch back on purpose, to let the workers fill the queue.
    pytest.mark.filterwarnings(r"ignore:Method on_batch_begin\(\) is slow"),
]


def _identity():
    """A model whose prediction is its input (one feature): batches show their order."""
    model = Sequential([Dense(1, input_dim=1)])
    model.set_weights([np.ones((1, 1), "float32"), np.zeros(1, "float32")])
    model.compile("sgd", "mse")
    return model


def _numbered(batch=2, drawn=None, stop_after=None):
    """Batches whose values are their sample numbers: 0, 1 | 2, 3 | ..."""
    k = 0
    while stop_after is None or k < stop_after:
        if drawn is not None:
            drawn.append(k)
        x = np.arange(k * batch, (k + 1) * batch, dtype="float32").reshape(batch, 1)
        yield x, x.copy()
        k += 1


def _failing(good=2):
    for k in range(good):
        yield np.full((2, 1), k, "float32"), np.zeros((2, 1), "float32")
    raise RuntimeError("generator broke after %d batches" % good)


def _workers_alive():
    threads = [t for t in threading.enumerate() if t.name.startswith("keras_compat generator")]
    return threads + multiprocessing.active_children()


@pytest.fixture(autouse=True)
def _nothing_left_running():
    yield
    assert _workers_alive() == []


def _trained_order(model):
    """Record the first sample of every batch ``train_on_batch`` receives."""
    seen = []
    train = model.train_on_batch

    def spy(x, y, **kwargs):
        seen.append(int(x[0, 0]))
        return train(x, y, **kwargs)
    model.train_on_batch = spy
    return seen


@pytest.mark.parametrize("workers", [0, 1, 3])
def test_thread_workers_train_on_the_generators_order(workers):
    model = _identity()
    seen = _trained_order(model)
    gen = _numbered()
    model.fit_generator(gen, samples_per_epoch=6, nb_epoch=3, verbose=0, nb_worker=workers,
                        max_q_size=2, validation_data=gen, nb_val_samples=4)
    # 3 training batches, then 2 validation batches from the same generator, each epoch
    assert seen == [0, 2, 4, 10, 12, 14, 20, 22, 24]


def _wait_for(condition, seconds=10.0):
    """Poll until ``condition()`` holds (the workers run at the machine's pace)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_batches_drawn_ahead_go_to_the_next_call_on_the_generator():
    model = _identity()
    drawn = []
    gen = _numbered(drawn=drawn)
    predict = model.predict_on_batch
    calls = []

    def slow_first_batch(x):
        if not calls:
            _wait_for(lambda: len(drawn) >= 5)  # let the worker draw ahead
        calls.append(len(x))
        return predict(x)
    model.predict_on_batch = slow_first_batch
    first = model.predict_generator(gen, val_samples=4, max_q_size=5)
    assert len(drawn) >= 5  # the worker did draw ahead...
    del model.predict_on_batch
    second = model.predict_generator(gen, val_samples=4, max_q_size=5, nb_worker=0)
    np.testing.assert_array_equal(np.concatenate([first, second]).ravel(), np.arange(8))
    following = 2 * len(drawn)
    assert int(next(gen)[0][0, 0]) == following  # ...and the generator was not rewound


def test_one_worker_process_keeps_the_order_and_the_callers_generator_does_not_move():
    model = _identity()
    drawn = []
    gen = _numbered(drawn=drawn)
    out = model.predict_generator(gen, val_samples=10, nb_worker=1, pickle_safe=True)
    np.testing.assert_array_equal(out.ravel(), np.arange(10))
    assert drawn == []  # the worker process drew from its own copy
    out = model.evaluate_generator(gen, 8, 3, 2, True)  # Keras 1's positional arguments
    assert out == pytest.approx(0.0)


def test_several_worker_processes_train():
    model = _identity()
    history = model.fit_generator(_numbered(), samples_per_epoch=8, nb_epoch=2, verbose=0,
                                  nb_worker=3, pickle_safe=True)
    assert len(history.history["loss"]) == 2


@pytest.mark.parametrize("pickle_safe", [False, True])
@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_an_error_in_the_generator_reaches_the_caller(method, pickle_safe):
    model = _identity()
    call = {"fit": lambda g: model.fit_generator(g, 10, 1, verbose=0, nb_worker=2,
                                                 pickle_safe=pickle_safe),
            "evaluate": lambda g: model.evaluate_generator(g, 10, nb_worker=2,
                                                           pickle_safe=pickle_safe),
            "predict": lambda g: model.predict_generator(g, 10, nb_worker=2,
                                                         pickle_safe=pickle_safe)}[method]
    with pytest.raises(RuntimeError, match="generator broke after 2 batches") as caught:
        call(_failing())
    if pickle_safe:  # a copy of the worker's exception, with the worker's traceback attached
        assert "raised in a generator worker process" in "".join(
            getattr(caught.value, "__notes__", ["raised in a generator worker process"]))


def test_a_generator_that_ends_raises_the_keras1_error():
    for pickle_safe in (False, True):
        with pytest.raises(ValueError, match="the generator stopped before the requested number "
                                             "of samples/steps was drawn"):
            _identity().predict_generator(_numbered(stop_after=2), 10, pickle_safe=pickle_safe)


def test_what_cannot_cross_processes_is_reported():
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("no pickling")

    def raising():
        yield np.zeros((2, 1), "float32"), np.zeros((2, 1), "float32")
        raise Unpicklable("local failure")

    with pytest.raises(RuntimeError, match="Unpicklable: local failure"):
        _identity().evaluate_generator(raising(), 4, pickle_safe=True)

    def unpicklable_batches():
        while True:
            yield np.zeros((2, 1), "float32"), lambda: None

    with pytest.raises(Exception, match="pickle"):
        _identity().evaluate_generator(unpicklable_batches(), 4, pickle_safe=True)


@pytest.mark.parametrize("pickle_safe", [False, True])
def test_keyboard_interrupt_stops_the_workers(pickle_safe):
    def interrupt(batch, logs):
        if batch == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _identity().fit_generator(_numbered(), 20, 1, verbose=0, nb_worker=2,
                                  pickle_safe=pickle_safe,
                                  callbacks=[LambdaCallback(on_batch_end=interrupt)])
    # the autouse fixture checks that no worker thread or process is left


@pytest.mark.parametrize("workers", [1, 3])
def test_the_queue_holds_at_most_max_q_size_batches(workers):
    drawn = []
    counts = []

    def wait_for_the_workers(batch, logs):
        if batch == 0:
            _wait_for(lambda: len(drawn) >= 5)
            time.sleep(0.3)  # time to draw more, were the queue not bounded
            counts.append(len(drawn))

    _identity().fit_generator(_numbered(drawn=drawn), 8, 1, verbose=0, nb_worker=workers,
                              max_q_size=3,
                              callbacks=[LambdaCallback(on_batch_begin=wait_for_the_workers)])
    # one batch taken, three queued, one drawn and waiting for room: never more
    assert counts == [5]


def test_the_queue_of_worker_processes_is_bounded_too():
    drawn = multiprocessing.get_context("fork").Value("i", 0)
    counts = []

    def counted():
        while True:
            with drawn.get_lock():
                drawn.value += 1
            yield np.zeros((2, 1), "float32"), np.zeros((2, 1), "float32")

    def wait_for_the_workers(batch, logs):
        if batch == 0:
            _wait_for(lambda: drawn.value >= 4)
            time.sleep(0.3)  # time to draw more, were the queue not bounded
            counts.append(drawn.value)

    _identity().fit_generator(counted(), 8, 1, verbose=0, nb_worker=2, max_q_size=3,
                              pickle_safe=True,
                              callbacks=[LambdaCallback(on_batch_begin=wait_for_the_workers)])
    # one batch taken, three queued, at most one more in each worker's hands
    assert 4 <= counts[0] <= 1 + 3 + 2


def test_queue_arguments_are_checked():
    model = _identity()
    with pytest.raises(ArgumentError, match=r"evaluate_generator\(\): pass either nb_worker "
                                            r"\(Keras 1\) or workers \(Keras 2\), not both"):
        model.evaluate_generator(_numbered(), 4, nb_worker=1, workers=2)
    with pytest.raises(ValueError, match=r"predict_generator\(\): max_q_size must be a positive "
                                         r"integer, got 0"):
        model.predict_generator(_numbered(), 4, max_q_size=0)
    with pytest.raises(ValueError, match=r"fit_generator\(\): nb_worker must be a non-negative "
                                         r"integer, got -1"):
        model.fit_generator(_numbered(), 4, 1, nb_worker=-1)
    out = model.predict_generator(_numbered(), 4, max_queue_size=1, workers=2,
                                  use_multiprocessing=False)
    np.testing.assert_array_equal(out.ravel(), np.arange(4))
