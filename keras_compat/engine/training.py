"""``keras.engine.training`` (Keras 1.2.2 public module path): ``Model`` and the module-level
helpers Keras 1 kept here and that scripts and custom training loops imported: data checks
(``standardize_input_data``, ``standardize_sample_weights``, ``check_array_lengths``,
``check_loss_and_target_compatibility``), batching (``make_batches``, ``batch_shuffle``,
``slice_X``), ``weighted_objective`` and ``GeneratorEnqueuer``.

They behave as Keras 1.2.2's did, with its error messages; keras_compat's own training loop
does not call them (it lives in ``keras_compat.training``).
"""
import copy
import multiprocessing
import queue
import threading
import time

import numpy as np

from keras_compat import backend as K
from keras_compat.engine.container import Container as Container
from keras_compat.models.model import Model as Model
from keras_compat.utils.generic_utils import Progbar as Progbar

__all__ = ["Model", "Container", "Progbar", "GeneratorEnqueuer", "batch_shuffle",
           "check_array_lengths", "check_loss_and_target_compatibility", "collect_metrics",
           "make_batches", "slice_X", "standardize_class_weights", "standardize_input_data",
           "standardize_sample_or_class_weights", "standardize_sample_weights",
           "standardize_weights", "weighted_objective"]


def standardize_input_data(data, names, shapes=None, check_batch_axis=True, exception_prefix=''):
    """``data`` (an array, a list of arrays or a ``{name: array}`` dict) as a list of arrays in
    the order of ``names``; 1D arrays become ``(n, 1)``. With ``shapes``, each array's rank and
    known dimensions are checked (the batch axis only when ``check_batch_axis``). The errors
    start with ``'Error when checking ' + exception_prefix`` as in Keras 1."""
    where = 'Error when checking ' + exception_prefix
    if isinstance(data, dict):
        arrays = []
        for name in names:
            if name not in data:
                raise ValueError('No data provided for "' + name +
                                 '". Need data for each key in: ' + str(names))
            arrays.append(data[name])
    elif isinstance(data, list):
        if len(data) != len(names):
            if data and hasattr(data[0], 'shape'):
                raise ValueError(where + ': the list of Numpy arrays that you are passing to '
                                 'your model is not the size the model expected. Expected to '
                                 'see ' + str(len(names)) + ' arrays but instead got the '
                                 'following list of ' + str(len(data)) + ' arrays: ' +
                                 str(data)[:200] + '...')
            if len(names) == 1:
                data = [np.asarray(data)]
            else:
                raise ValueError(where + ': you are passing a list as input to your model, but '
                                 'the model expects a list of ' + str(len(names)) +
                                 ' Numpy arrays instead. The list you passed was: ' +
                                 str(data)[:200])
        arrays = data
    else:
        if not hasattr(data, 'shape'):
            raise TypeError(where + ': data should be a Numpy array, or list/dict of Numpy '
                            'arrays. Found: ' + str(data)[:200] + '...')
        if len(names) != 1:
            raise ValueError('The model expects ' + str(len(names)) + ' input arrays, but only '
                             'received one array. Found: array with shape ' + str(data.shape))
        arrays = [data]
    # Keras 1 widens 1D arrays in the list it was given (a caller's list is changed too).
    for i in range(len(names)):
        if len(arrays[i].shape) == 1:
            arrays[i] = np.expand_dims(arrays[i], 1)
    if shapes:
        for i, name in enumerate(names):
            expected = shapes[i]
            if expected is None:
                continue
            array = arrays[i]
            if len(array.shape) != len(expected):
                raise ValueError(where + ': expected ' + name + ' to have ' + str(len(expected)) +
                                 ' dimensions, but got array with shape ' + str(array.shape))
            for axis, (dim, ref_dim) in enumerate(zip(array.shape, expected)):
                if axis == 0 and not check_batch_axis:
                    continue
                if ref_dim and ref_dim != dim:
                    raise ValueError(where + ': expected ' + name + ' to have shape ' +
                                     str(expected) + ' but got array with shape ' +
                                     str(array.shape))
    return arrays


def standardize_sample_or_class_weights(x_weight, output_names, weight_type):
    """One entry of ``x_weight`` (a list, a ``{output name: weights}`` dict or, with a single
    output, the weights themselves) per output, ``None`` where none was given."""
    if x_weight is None or len(x_weight) == 0:
        return [None for _ in output_names]
    if len(output_names) == 1:
        if isinstance(x_weight, list) and len(x_weight) == 1:
            return x_weight
        if isinstance(x_weight, dict) and output_names[0] in x_weight:
            return [x_weight[output_names[0]]]
        return [x_weight]
    if isinstance(x_weight, list):
        if len(x_weight) != len(output_names):
            raise ValueError('Provided `' + weight_type + '` was a list of ' + str(len(x_weight)) +
                             ' elements, but the model has ' + str(len(output_names)) +
                             ' outputs. You should provide one `' + weight_type +
                             '`array per model output.')
        return x_weight
    if isinstance(x_weight, dict):
        return [x_weight.get(name) for name in output_names]
    raise TypeError('The model has multiple outputs, so `' + weight_type + '` should be either '
                    'a list of a dict. Provided `' + weight_type + '` type not understood: ' +
                    str(x_weight))


def standardize_class_weights(class_weight, output_names):
    """:func:`standardize_sample_or_class_weights` for ``class_weight``."""
    return standardize_sample_or_class_weights(class_weight, output_names, 'class_weight')


def standardize_sample_weights(sample_weight, output_names):
    """:func:`standardize_sample_or_class_weights` for ``sample_weight``."""
    return standardize_sample_or_class_weights(sample_weight, output_names, 'sample_weight')


def check_array_lengths(inputs, targets, weights):
    """ValueError unless every input, target and weight array has the same number of samples."""
    x_lengths = {x.shape[0] for x in inputs}
    y_lengths = {y.shape[0] for y in targets}
    w_lengths = {w.shape[0] for w in weights}
    if len(x_lengths) != 1:
        raise ValueError('All input arrays (x) should have the same number of samples.')
    if len(y_lengths) != 1:
        raise ValueError('All target arrays (y) should have the same number of samples.')
    if len(w_lengths) != 1:
        raise ValueError('All sample_weight arrays should have the same number of samples.')
    x_count, y_count, w_count = next(iter(x_lengths)), next(iter(y_lengths)), next(iter(w_lengths))
    if x_count != y_count:
        raise ValueError('Input arrays should have the same number of samples as target arrays. '
                         'Found ' + str(x_count) + ' input samples and ' + str(y_count) +
                         ' target samples.')
    if x_count != w_count:
        raise ValueError('Sample_weight arrays should have the same number of samples as input '
                         'arrays. Found ' + str(x_count) + ' input samples and ' + str(w_count) +
                         ' target samples.')


# Keras 1.2.2 spelled the first one 'mean_square_error', so mean_squared_error is not checked.
_SAME_SHAPE_LOSSES = {'mean_square_error', 'binary_crossentropy', 'categorical_crossentropy'}


def check_loss_and_target_compatibility(targets, losses, output_shapes):
    """ValueError for integer-class targets given to ``categorical_crossentropy``, and for
    targets whose shape differs from the output's under the losses that need the same shape."""
    for y, loss, shape in zip(targets, losses, output_shapes):
        name = loss.__name__
        if name == 'categorical_crossentropy' and y.shape[-1] == 1:
            raise ValueError(
                'You are passing a target array of shape ' + str(y.shape) +
                ' while using as loss `categorical_crossentropy`. `categorical_crossentropy` '
                'expects targets to be binary matrices (1s and 0s) of shape (samples, classes). '
                'If your targets are integer classes, you can convert them to the expected '
                'format via:\n```\nfrom keras.utils.np_utils import to_categorical\n'
                'y_binary = to_categorical(y_int)\n```\n\nAlternatively, you can use the loss '
                'function `sparse_categorical_crossentropy` instead, which does expect integer '
                'targets.')
        if name in _SAME_SHAPE_LOSSES:
            for target_dim, out_dim in zip(y.shape[1:], shape[1:]):
                if out_dim is not None and target_dim != out_dim:
                    raise ValueError('A target array with shape ' + str(y.shape) +
                                     ' was passed for an output of shape ' + str(shape) +
                                     ' while using as loss `' + name + '`. This loss expects '
                                     'targets to have the same shape as the output.')


def collect_metrics(metrics, output_names):
    """One list of metrics per output, from a list (every output) or a per-output dict."""
    if not metrics:
        return [[] for _ in output_names]
    if isinstance(metrics, list):
        return [copy.copy(metrics) for _ in output_names]
    if isinstance(metrics, dict):
        nested = []
        for name in output_names:
            output_metrics = metrics.get(name, [])
            nested.append(output_metrics if isinstance(output_metrics, list) else [output_metrics])
        return nested
    raise TypeError('Type of `metrics` argument not understood. Expected a list or dictionary, '
                    'found: ' + str(metrics))


def batch_shuffle(index_array, batch_size):
    """``shuffle='batch'``: whole batches of ``index_array`` change places (``np.random``),
    the indices inside a batch keep their order and the short last batch stays last."""
    batch_count = int(len(index_array) / batch_size)
    last_batch = index_array[batch_count * batch_size:]
    index_array = index_array[:batch_count * batch_size].reshape((batch_count, batch_size))
    np.random.shuffle(index_array)
    return np.append(index_array.flatten(), last_batch)


def make_batches(size, batch_size):
    """``[(start, end), ...]`` covering ``range(size)`` in batches of ``batch_size``."""
    nb_batch = int(np.ceil(size / float(batch_size)))
    return [(i * batch_size, min(size, (i + 1) * batch_size)) for i in range(nb_batch)]


def slice_X(X, start=None, stop=None):
    """Rows of an array, or of each array in a list: ``X[start:stop]``, or ``X[indices]`` when
    ``start`` is a sequence/array of indices (then ``stop`` is ignored), as Keras 1.

    addition_rnn.py uses it to split off a validation set:
    ``slice_X(X, 0, split_at)``, ``slice_X(X, split_at)``.
    """
    if hasattr(start, "__len__"):
        index = start.tolist() if hasattr(start, "shape") else start
        pick = lambda array: array[index]  # noqa: E731
    else:
        pick = lambda array: array[start:stop]  # noqa: E731
    if isinstance(X, list):
        return [pick(x) for x in X]
    return pick(X)


def weighted_objective(fn):
    """``fn(y_true, y_pred)`` as ``weighted(y_true, y_pred, weights, mask=None)``, a scalar
    tensor: the per-sample (per-timestep) loss is masked (rescaled by the mask's mean),
    averaged down to the rank of ``weights``, multiplied by them and divided by the fraction of
    non-zero weights, then averaged."""
    def weighted(y_true, y_pred, weights, mask=None):
        score_array = fn(y_true, y_pred)
        if mask is not None:
            mask = K.cast(mask, K.floatx())
            score_array = score_array * mask
            score_array = score_array / K.mean(mask)
        if weights is not None:
            ndim, weight_ndim = K.ndim(score_array), K.ndim(weights)
            if ndim > weight_ndim:  # an empty axis list would average everything in torch
                score_array = K.mean(score_array, axis=list(range(weight_ndim, ndim)))
            score_array = score_array * weights
            score_array = score_array / K.mean(K.cast(K.not_equal(weights, 0), K.floatx()))
        return K.mean(score_array)
    return weighted


def standardize_weights(y, sample_weight=None, class_weight=None, sample_weight_mode=None):
    """The weight array for target ``y``: ``sample_weight`` itself (1D, or 2D with
    ``sample_weight_mode='temporal'``), else ``class_weight[class]`` per sample, else ones."""
    if sample_weight_mode is not None:
        if sample_weight_mode != 'temporal':
            raise ValueError('"sample_weight_mode should be None or "temporal". Found: ' +
                             str(sample_weight_mode))
        if len(y.shape) < 3:
            raise ValueError('Found a sample_weight array for an input with shape ' +
                             str(y.shape) + '. Timestep-wise sample weighting (use of '
                             'sample_weight_mode="temporal") is restricted to outputs that are '
                             'at least 3D, i.e. that have a time dimension.')
        if sample_weight is not None and len(sample_weight.shape) != 2:
            raise ValueError('Found a sample_weight array with shape ' + str(sample_weight.shape) +
                             '. In order to use timestep-wise sample weighting, you should pass '
                             'a 2D sample_weight array.')
    elif sample_weight is not None and len(sample_weight.shape) != 1:
        raise ValueError('Found a sample_weight array with shape ' + str(sample_weight.shape) +
                         '. In order to use timestep-wise sample weights, you should specify '
                         'sample_weight_mode="temporal" in compile(). If you just mean to use '
                         'sample-wise weights, make sure your sample_weight array is 1D.')
    if sample_weight is not None:
        if len(sample_weight.shape) > len(y.shape) or \
                tuple(y.shape[:sample_weight.ndim]) != tuple(sample_weight.shape):
            raise ValueError('sample_weight of shape %s does not match the targets of shape %s'
                             % (sample_weight.shape, y.shape))
        return sample_weight
    if isinstance(class_weight, dict):
        if len(y.shape) > 2:
            raise ValueError('class_weight not supported for 3+ dimensional targets.')
        if y.shape[1] > 1:
            y_classes = y.argmax(axis=1)
        elif y.shape[1] == 1:
            y_classes = np.reshape(y, y.shape[0])
        else:
            y_classes = y
        return np.asarray([class_weight[cls] for cls in y_classes])
    if sample_weight_mode is None:
        return np.ones((y.shape[0],), dtype=K.floatx())
    return np.ones((y.shape[0], y.shape[1]), dtype=K.floatx())


class GeneratorEnqueuer(object):
    """Runs ``generator`` in background workers that fill ``self.queue``.

    # Arguments
        generator: a Python generator yielding batches.
        pickle_safe: workers are processes (``multiprocessing``) instead of threads; the
            generator is then copied into each process.

    ``start(nb_worker=1, max_q_size=10, wait_time=0.05)``, ``is_running()`` and
    ``stop(timeout=None)`` as in Keras 1.2.2. Thread workers share the generator under a lock
    (two threads cannot advance one generator at once).
    """

    def __init__(self, generator, pickle_safe=False):
        self._generator = generator
        self._pickle_safe = pickle_safe
        self._threads = []
        self._stop_event = None
        self._lock = threading.Lock()
        self.queue = None

    def _work(self, max_q_size, wait_time):
        while not self._stop_event.is_set():
            try:
                if self._pickle_safe or self.queue.qsize() < max_q_size:
                    if self._pickle_safe:
                        item = next(self._generator)
                    else:
                        with self._lock:
                            item = next(self._generator)
                    self.queue.put(item)
                else:
                    time.sleep(wait_time)
            except Exception:
                self._stop_event.set()
                raise

    def start(self, nb_worker=1, max_q_size=10, wait_time=0.05):
        """Start ``nb_worker`` workers; they stop at the first exception of the generator."""
        try:
            if self._pickle_safe:
                context = multiprocessing.get_context(
                    "fork" if "fork" in multiprocessing.get_all_start_methods() else None)
                self.queue = context.Queue(maxsize=max_q_size)
                self._stop_event = context.Event()
            else:
                self.queue = queue.Queue()
                self._stop_event = threading.Event()
            for _ in range(nb_worker):
                if self._pickle_safe:
                    np.random.seed()
                    worker = context.Process(target=self._work, args=(max_q_size, wait_time))
                    worker.daemon = True
                else:
                    worker = threading.Thread(target=self._work, args=(max_q_size, wait_time))
                self._threads.append(worker)
                worker.start()
        except BaseException:
            self.stop()
            raise

    def is_running(self):
        return self._stop_event is not None and not self._stop_event.is_set()

    def stop(self, timeout=None):
        """Signal the workers to stop and wait ``timeout`` seconds for each (processes are
        terminated); the queue is dropped."""
        if self.is_running():
            self._stop_event.set()
        for worker in self._threads:
            if worker.is_alive():
                if self._pickle_safe:
                    worker.terminate()
                else:
                    worker.join(timeout)
        if self._pickle_safe and self.queue is not None:
            self.queue.close()
        self._threads = []
        self._stop_event = None
        self.queue = None
