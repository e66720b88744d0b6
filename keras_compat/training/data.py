"""Keras-1 data semantics: array checks, validation split, batching, sample weights."""
import numpy as np


def as_array(data, what):
    """A single array from an array or a one-element list (Keras 1 accepted both)."""
    if isinstance(data, dict):
        if len(data) != 1:
            raise ValueError("This model has a single %s; got a dict with keys %s"
                             % (what, sorted(data)))
        data = next(iter(data.values()))
    if isinstance(data, (list, tuple)):
        if len(data) == 1 and hasattr(data[0], "shape"):
            data = data[0]
        else:
            data = np.asarray(data)
    if hasattr(data, "detach"):
        data = data.detach().cpu().numpy()
    data = np.asarray(data)
    if data.ndim == 1:
        data = data.reshape(-1, 1)
    return data


def check_array_shape(array, expected_shape, layer_name, what, check_batch_dim=False):
    """Keras-1 ``standardize_input_data`` check with its message."""
    if expected_shape is None:
        return
    if array.ndim != len(expected_shape):
        raise ValueError("Error when checking model %s: expected %s to have %d dimensions, but got "
                         "array with shape %s" % (what, layer_name, len(expected_shape), array.shape))
    dims = zip(array.shape, expected_shape) if check_batch_dim else zip(array.shape[1:],
                                                                       expected_shape[1:])
    for got, want in dims:
        if want is not None and got != want:
            raise ValueError("Error when checking model %s: expected %s to have shape %s but got "
                             "array with shape %s" % (what, layer_name, tuple(expected_shape),
                                                      array.shape))


def check_same_length(x, y):
    if len(x) != len(y):
        raise ValueError("Input arrays should have the same number of samples as target arrays. "
                         "Found %d input samples and %d target samples." % (len(x), len(y)))


def check_loss_and_target(loss_name, y, output_shape):
    """Keras 1 ``check_loss_and_target_compatibility``."""
    if loss_name == "categorical_crossentropy" and y.shape[-1] == 1:
        raise ValueError("You are passing a target array of shape %s while using as loss "
                         "`categorical_crossentropy`. `categorical_crossentropy` expects targets to be "
                         "binary matrices (1s and 0s) of shape (samples, classes). If your targets are "
                         "integer classes, you can convert them via:\n```\nfrom keras.utils.np_utils "
                         "import to_categorical\ny_binary = to_categorical(y_int)\n```\n\nAlternatively, "
                         "you can use the loss function `sparse_categorical_crossentropy` instead, which "
                         "does expect integer targets." % (y.shape,))
    if loss_name in ("binary_crossentropy", "categorical_crossentropy"):
        for got, want in zip(y.shape[1:], output_shape[1:]):
            if want is not None and got != want:
                raise ValueError("A target array with shape %s was passed for an output of shape %s "
                                 "while using as loss `%s`. This loss expects targets to have the "
                                 "same shape as the output." % (y.shape, tuple(output_shape), loss_name))


def target_shape_for(loss_name, output_shape):
    if loss_name == "sparse_categorical_crossentropy":
        return tuple(output_shape[:-1]) + (1,)
    return tuple(output_shape)


def sample_weights_for(y, sample_weight=None, class_weight=None, temporal=False):
    """Per-sample weights as Keras 1 ``standardize_weights`` made them (None: all ones)."""
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype="float32")
        if temporal:
            if sample_weight.ndim != 2:
                raise ValueError("Found a sample_weight array with shape %s. In order to use "
                                 "timestep-wise sample weighting, you should pass a 2D sample_weight "
                                 "array." % (sample_weight.shape,))
        elif sample_weight.ndim != 1:
            raise ValueError("Found a sample_weight array with shape %s; expected a 1-D array "
                             "(pass sample_weight_mode='temporal' to compile for 2-D weights)."
                             % (sample_weight.shape,))
        if sample_weight.shape[0] != y.shape[0]:
            raise ValueError("Found a sample_weight array with shape %s for an input with shape %s. "
                             "sample_weight cannot be broadcast." % (sample_weight.shape, y.shape))
        return sample_weight
    if class_weight:
        if y.ndim > 2:
            raise ValueError("class_weight not supported for 3+ dimensional targets.")
        classes = y.argmax(axis=1) if y.shape[1] > 1 else y.reshape(y.shape[0])
        try:
            return np.asarray([class_weight[c] for c in classes.tolist()], dtype="float32")
        except KeyError as exc:
            raise KeyError("class_weight has no entry for class %r" % (exc.args[0],)) from None
    return None


def validation_split_index(n, validation_split):
    return int(n * (1.0 - validation_split))


def batch_ranges(n, batch_size):
    """Keras 1 ``make_batches``: consecutive (start, end) pairs, last one shorter."""
    return [(start, min(start + batch_size, n)) for start in range(0, n, batch_size)]


def epoch_order(previous, shuffle, batch_size):
    """The next epoch's index order, drawn from NumPy's global RNG as Keras 1 did, or None to
    keep the data's order. Keras 1.2.2 makes ``np.arange(n)`` once per ``fit`` and shuffles it
    again each epoch, so ``previous`` is the order the last epoch used (``np.arange(n)`` before
    the first); the RNG draws are the same either way, the batches are not."""
    if shuffle == "batch":
        return batch_shuffle(previous, batch_size)
    if shuffle:
        order = np.array(previous)
        np.random.shuffle(order)
        return order
    return None


def batch_shuffle(index_array, batch_size):
    """Shuffle whole batch-sized blocks; the leftover tail stays at the end (Keras 1)."""
    nb_batch = len(index_array) // batch_size
    head = index_array[:nb_batch * batch_size].reshape((nb_batch, batch_size))
    np.random.shuffle(head)
    return np.append(head.flatten(), index_array[nb_batch * batch_size:])
