"""Workers that draw from a Keras-1 data generator into a bounded queue (``max_q_size``,
``nb_worker``, ``pickle_safe`` of ``fit_generator`` and co.).

Threads (the default) share the one generator: a worker draws and queues under a lock, so
the queue holds the batches in the order the generator made them, however many workers there
are, and two threads never run the generator at once (a Python generator cannot be resumed
from two threads).  The threads overlap the generator's work with the
model's steps, which release the GIL.

Processes (``pickle_safe=True``) are forked, so each runs its own copy of the generator, as
in Keras 1: with several workers the batches interleave in arrival order and a generator
that does not draw at random yields every batch once per worker; the calling process's
generator does not advance.  Each worker reseeds NumPy's global RNG (Keras 1 did so before
each fork) so that random draws differ between workers.  Batches come back pickled.

Items that threads drew ahead but the call did not use are kept with the generator and
handed out first by the next call on it: the model sees the generator's batches in order,
each once, as when they were drawn one at a time.  (Keras 1 dropped them.)

An error in the generator reaches the caller as itself (from a process: a copy, with the
worker's traceback as a note); a generator that stops raises the Keras-1 ``ValueError``.  A
call ends, normally or not (an error, ``KeyboardInterrupt``), by stopping and joining its
workers: no thread or process outlives it.
"""
import collections
import multiprocessing
import pickle
import queue
import signal
import threading
import time
import traceback
import warnings
import weakref

import numpy as np

_POLL_SECONDS = 0.05
_PROCESS_EXIT_SECONDS = 5.0
_ITEM, _END, _ERROR = "item", "end", "error"


def open_feed(generator, where, workers, max_size, processes):
    """A feed of ``generator``'s items: ``workers`` threads (or processes) filling a queue of
    at most ``max_size`` items; ``workers=0`` draws in the calling thread.  Use it as a
    context manager (leaving it stops the workers) and take items with ``get()``."""
    if workers == 0:
        return _DirectFeed(generator, where)
    if processes:
        return _ProcessFeed(generator, where, workers, max_size)
    return _ThreadFeed(generator, where, workers, max_size)


def _stopped(where):
    return ValueError("%s: the generator stopped before the requested number of samples/steps was "
                      "drawn; Keras-1 generators must loop forever" % where)


# -- per-generator state shared by the calls that use it -----------------------------------
class _GeneratorState:
    def __init__(self):
        self.lock = threading.Lock()      # one draw at a time, whichever call draws
        self.held = collections.deque()   # entries drawn ahead and not used yet
        self.feeds = []                   # open feeds, innermost last; only that one draws

    def open(self, feed):
        """``feed`` starts drawing; an outer feed on the same generator (fit_generator's,
        while its validation runs on that generator too) pauses and gives back what it drew
        ahead, so the inner one sees the batches the outer one has not used, in order."""
        if self.feeds:
            self.feeds[-1].pause()
        self.feeds.append(feed)

    def close(self, feed):
        self.feeds.remove(feed)
        if self.feeds:
            self.feeds[-1].resume()


_states = weakref.WeakKeyDictionary()
_unweakrefable_states = {}  # id -> (generator, state): iterators without weak references
_states_lock = threading.Lock()


def _state_for(generator):
    with _states_lock:
        try:
            state = _states.get(generator)
            if state is None:
                state = _states[generator] = _GeneratorState()
            return state
        except TypeError:  # not weak-referenceable (or not hashable)
            entry = _unweakrefable_states.get(id(generator))
            if entry is None or entry[0] is not generator:
                entry = _unweakrefable_states[id(generator)] = (generator, _GeneratorState())
            return entry[1]


def _release(generator, state):
    """Forget a state with nothing held, where only a strong reference would keep it."""
    with _states_lock:
        entry = _unweakrefable_states.get(id(generator))
        if entry is not None and entry[1] is state and not state.held:
            del _unweakrefable_states[id(generator)]


def _draw(generator):
    try:
        return _ITEM, next(generator)
    except StopIteration:
        return _END, None
    except BaseException as exc:  # the caller gets it, whatever it is
        return _ERROR, exc


def _unwrap(entry, where):
    kind, payload = entry
    if kind == _ITEM:
        return payload
    if kind == _END:
        raise _stopped(where)
    raise payload


class _DirectFeed:
    """``nb_worker=0``: the generator is drawn in the calling thread, item by item."""

    def __init__(self, generator, where):
        self._generator = generator
        self._where = where
        self._state = _state_for(generator)
        self._state.open(self)

    def __enter__(self):
        return self

    def get(self):
        with self._state.lock:
            entry = self._state.held.popleft() if self._state.held else _draw(self._generator)
        return _unwrap(entry, self._where)

    def pause(self):
        """Nothing is drawn ahead here."""

    def resume(self):
        """Nothing is drawn ahead here."""

    def __exit__(self, *exc_info):
        self._state.close(self)
        _release(self._generator, self._state)


class _ThreadFeed:
    """Worker threads drawing in turn from the shared generator into a bounded queue."""

    def __init__(self, generator, where, workers, max_size):
        self._generator = generator
        self._where = where
        self._state = _state_for(generator)
        self._queue = queue.Queue(max_size)
        self._order_lock = threading.Lock()
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while an inner feed draws (pause())
        self._running.set()
        self._finished = False   # the generator ended or raised: nothing more to draw
        self._held_back = []     # an entry drawn when a stop or pause came with the queue full
        self._threads = [threading.Thread(target=self._work, daemon=True,
                                          name="keras_compat generator worker %d" % k)
                         for k in range(workers)]
        self._state.open(self)
        try:
            for thread in self._threads:
                thread.start()
        except BaseException:
            self._shut_down()
            raise

    def __enter__(self):
        return self

    def _work(self):
        state = self._state
        while not self._stop.is_set():
            if not self._running.wait(_POLL_SECONDS):
                continue
            # Drawn and queued under this feed's lock, so the queue keeps the order in which
            # the items were drawn.
            with self._order_lock:
                if self._finished or self._stop.is_set():
                    return
                if not self._running.is_set():
                    continue
                with state.lock:
                    entry = state.held.popleft() if state.held else _draw(self._generator)
                if entry[0] != _ITEM:
                    self._finished = True
                while True:
                    try:
                        self._queue.put(entry, timeout=_POLL_SECONDS)
                        break
                    except queue.Full:
                        if self._stop.is_set() or not self._running.is_set():
                            self._held_back.append(entry)
                            break

    def pause(self):
        """Stop drawing and give back the entries drawn ahead (to the generator's state)."""
        self._running.clear()
        with self._order_lock:  # a worker that is drawing finishes first
            self._give_back()

    def resume(self):
        self._running.set()

    def _give_back(self):
        unused = []
        while True:
            try:
                unused.append(self._queue.get_nowait())
            except queue.Empty:
                break
        unused += self._held_back
        self._held_back = []
        with self._state.lock:
            # Queued entries are the oldest, then one drawn as the stop came, then those
            # taken from an earlier call and not reached.
            self._state.held.extendleft(reversed(unused))
        if any(kind != _ITEM for kind, _ in unused):
            self._finished = False  # the end (or error) is given back: drawn again later

    def get(self):
        while True:
            try:
                entry = self._queue.get(timeout=_POLL_SECONDS)
                break
            except queue.Empty:
                if not any(thread.is_alive() for thread in self._threads) and self._queue.empty():
                    raise RuntimeError("%s: the generator worker threads stopped without an item, "
                                       "an error or the end of the generator" % self._where)
        return _unwrap(entry, self._where)

    def __exit__(self, *exc_info):
        self._shut_down()

    def _shut_down(self):
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join()
        self._give_back()
        if self in self._state.feeds:
            self._state.close(self)
        _release(self._generator, self._state)


class _ProcessFeed:
    """Forked worker processes, each with its own copy of the generator."""

    def __init__(self, generator, where, workers, max_size):
        self._where = where
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            raise ValueError("%s: pickle_safe=True runs the generator in worker processes, which "
                             "needs the 'fork' start method (a generator cannot be sent to a "
                             "new process); this platform has none: use pickle_safe=False"
                             % where) from None
        self._queue = context.Queue(max_size)
        self._stop = context.Event()
        self._processes = []
        try:
            for k in range(workers):
                process = context.Process(target=_process_work, daemon=True,
                                          args=(generator, self._queue, self._stop),
                                          name="keras_compat generator worker %d" % k)
                with warnings.catch_warnings():
                    # Python 3.12+ warns that a multi-threaded parent may deadlock its forked
                    # children; the worker only runs the generator, as Keras 1's did.
                    warnings.filterwarnings("ignore", message=".*use of fork\\(\\) may lead to "
                                            "deadlocks", category=DeprecationWarning)
                    process.start()
                self._processes.append(process)
        except BaseException:
            self._shut_down()
            raise

    def __enter__(self):
        return self

    def get(self):
        while True:
            try:
                kind, payload = self._queue.get(timeout=_POLL_SECONDS)
                break
            except queue.Empty:
                if any(process.is_alive() for process in self._processes):
                    continue
                try:  # the last worker may have queued its final entry just before exiting
                    kind, payload = self._queue.get(timeout=1.0)
                    break
                except queue.Empty:
                    codes = [process.exitcode for process in self._processes]
                    raise RuntimeError("%s: every generator worker process exited (exit codes "
                                       "%s) without an item, an error or the end of the "
                                       "generator" % (self._where, codes)) from None
        if kind == _ITEM:
            return pickle.loads(payload)
        if kind == _ERROR:
            error, worker_traceback = pickle.loads(payload)
            if hasattr(error, "add_note"):
                error.add_note("(raised in a generator worker process:\n%s)" % worker_traceback)
            raise error
        raise _stopped(self._where)

    def __exit__(self, *exc_info):
        self._shut_down()

    def _shut_down(self):
        self._stop.set()
        deadline = time.monotonic() + _PROCESS_EXIT_SECONDS
        # Workers blocked on a full queue notice the stop within a poll; draining lets one
        # whose last item is still in the pipe exit too.
        while any(p.is_alive() for p in self._processes) and time.monotonic() < deadline:
            try:
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass
            for process in self._processes:
                process.join(_POLL_SECONDS)
        for process in self._processes:
            if process.is_alive():  # stuck inside the generator itself
                process.terminate()
                process.join()
            process.close()
        self._processes = []
        self._queue.close()
        self._queue.join_thread()


def _process_work(generator, items, stop):
    """A worker process: draw, pickle, queue, until stopped or the generator ends or fails."""
    # Ctrl-C reaches the whole process group: the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    np.random.seed()
    while not stop.is_set():
        kind, value = _draw(generator)
        if kind == _ITEM:
            try:
                entry = (_ITEM, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            except Exception as exc:
                kind, entry = _ERROR, (_ERROR, _pickled_error(exc))
        elif kind == _ERROR:
            entry = (_ERROR, _pickled_error(value))
        else:
            entry = (_END, None)
        while True:
            try:
                items.put(entry, timeout=_POLL_SECONDS)
                break
            except queue.Full:
                if stop.is_set():
                    items.cancel_join_thread()  # the parent is not reading any more
                    return
        if kind != _ITEM:
            return  # exiting flushes the queue's feeder thread: the entry gets through
    items.cancel_join_thread()


def _pickled_error(error):
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        payload = pickle.dumps((error, text), pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)
        return payload
    except Exception:  # an exception that cannot cross processes: its type and text can
        substitute = RuntimeError("%s: %s" % (type(error).__name__, error))
        return pickle.dumps((substitute, text), pickle.HIGHEST_PROTOCOL)
