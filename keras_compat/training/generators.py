"""``fit_generator``/``evaluate_generator``/``predict_generator`` with Keras 1.2.2 semantics.

Keras 1 counts SAMPLES: an epoch ends once ``samples_per_epoch`` samples were drawn (batch
sizes summed, a warning when the last batch overshoots); evaluation and prediction stop after
``val_samples``.  The Keras-2 spellings count BATCHES (``steps_per_epoch``, ``steps``,
``validation_steps``) and are honoured as such, never renamed to the sample counts.

``nb_worker`` workers (threads; forked processes with ``pickle_safe=True``) draw from the
generator into a queue of at most ``max_q_size`` batches while the model trains
(``generator_queue``); ``nb_worker=0`` (Keras 2's ``workers=0``) draws in the calling thread.

# Differences from Keras 1
    An error raised by the generator reaches the caller as itself (Keras 1 stopped its
    workers and then failed on the missing batch).  Thread workers take turns on the
    generator, so batches arrive in the generator's order with any ``nb_worker``, and batches
    drawn ahead but unused are handed to the next call on the same generator (Keras 1
    dropped them).

The functions take the model as their first argument and drive it only through its public
Keras-1 methods (``train_on_batch``, ``test_on_batch``, ``predict_on_batch``, ``evaluate``).
"""
import warnings

import numpy as np

from keras_compat._args.rules import ArgumentError
from keras_compat._args.values import check_non_negative_int, check_positive_int
from keras_compat.training import distributed
from keras_compat.training.callbacks import BaseLogger, History, ProgbarLogger
from keras_compat.training.caps import cap_epochs, cap_steps
from keras_compat.training.generator_queue import open_feed
from keras_compat.training.scalars import Keras1Float64

# Keras 1.2.2's queue arguments, their defaults and their Keras-2 spellings.
_QUEUE_DEFAULTS = {"max_q_size": 10, "nb_worker": 1, "pickle_safe": False}
_QUEUE_KERAS2 = {"max_queue_size": "max_q_size", "workers": "nb_worker",
                 "use_multiprocessing": "pickle_safe"}


def _split(item, where):
    if not isinstance(item, tuple) or len(item) not in (2, 3):
        raise ValueError("%s: output of generator should be a tuple (x, y, sample_weight) or (x, y). "
                         "Found: %s" % (where, _describe(item)))
    return item if len(item) == 3 else (item[0], item[1], None)


def _describe(item):
    return type(item).__name__ if not hasattr(item, "shape") else "array of shape %s" % (item.shape,)


def _batch_len(x):
    if isinstance(x, dict):
        x = next(iter(x.values()))
    if isinstance(x, (list, tuple)):
        x = x[0]
    return len(x)


def _queue_settings(where, given, kwargs):
    """``(nb_worker, max_q_size, pickle_safe)`` from the Keras-1 arguments in ``given`` (None
    when not passed) and the Keras-2 spellings in ``kwargs``; anything else left is refused."""
    settings = dict(given)
    for keras2, keras1 in _QUEUE_KERAS2.items():
        if keras2 in kwargs:
            if settings[keras1] is not None:
                raise ArgumentError("%s(): pass either %s (Keras 1) or %s (Keras 2), not both"
                                    % (where, keras1, keras2))
            settings[keras1] = kwargs.pop(keras2)
    if kwargs:
        raise ArgumentError("%s(): unknown argument(s) %s" % (where, sorted(kwargs)))
    settings = {key: _QUEUE_DEFAULTS[key] if value is None else value
                for key, value in settings.items()}
    return (check_non_negative_int(where + "()", "nb_worker", settings["nb_worker"]),
            check_positive_int(where + "()", "max_q_size", settings["max_q_size"]),
            bool(settings["pickle_safe"]))


def _feed(generator, where, queue):
    workers, max_size, processes = queue
    return open_feed(generator, where, workers, max_size, processes)


def _count(samples, steps, what_samples, what_steps, where):
    if samples is not None and steps is not None:
        raise ArgumentError("%s(): pass either %s (Keras 1, counts samples) or %s (Keras 2, counts "
                            "batches), not both" % (where, what_samples, what_steps))
    if samples is None and steps is None:
        raise ArgumentError("%s(): missing %s (the number of samples to draw)" % (where, what_samples))
    value = samples if samples is not None else steps
    if int(value) <= 0:
        raise ValueError("%s(): %s must be positive, got %r"
                         % (where, what_samples if samples is not None else what_steps, value))
    return ("samples", int(samples)) if samples is not None else ("steps", int(steps))


def _done(mode, limit, seen, steps):
    return seen >= limit if mode == "samples" else steps >= limit


def fit_generator(model, generator, samples_per_epoch=None, nb_epoch=None, verbose=1,
                  callbacks=None, validation_data=None, nb_val_samples=None, class_weight=None,
                  max_q_size=None, nb_worker=None, pickle_safe=None, initial_epoch=0,
                  steps_per_epoch=None, epochs=None, validation_steps=None, **kwargs):
    """Train on batches from ``generator`` (Keras-1 samples_per_epoch, or Keras-2 steps)."""
    queue = _queue_settings("fit_generator", {"max_q_size": max_q_size, "nb_worker": nb_worker,
                                              "pickle_safe": pickle_safe}, kwargs)
    if nb_epoch is not None and epochs is not None:
        raise ArgumentError("fit_generator(): pass either nb_epoch or epochs, not both")
    nb_epoch = nb_epoch if nb_epoch is not None else epochs
    if nb_epoch is None:
        raise ArgumentError("fit_generator(): missing nb_epoch")
    mode, limit = _count(samples_per_epoch, steps_per_epoch, "samples_per_epoch", "steps_per_epoch",
                         "fit_generator")
    # The runner's smoke-test caps (--max-epochs / --max-steps), as for fit().
    nb_epoch = cap_epochs(nb_epoch, initial_epoch)
    max_steps = cap_steps()
    model._require_trainer()
    validate = _validation(model, validation_data, nb_val_samples, validation_steps, queue)
    with _feed(generator, "fit_generator", queue) as feed:
        return _fit(model, feed, (mode, limit), range(initial_epoch, nb_epoch), max_steps, verbose,
                    callbacks, validation_data, validate, class_weight)


def _validation(model, validation_data, nb_val_samples, validation_steps, queue):
    """The end-of-epoch evaluation, as a function of the last batch size (None: none)."""
    if validation_data is None:
        return None
    if hasattr(validation_data, "__next__"):
        count = _count(nb_val_samples, validation_steps, "nb_val_samples", "validation_steps",
                       "fit_generator (validation)")

        def validate(batch_size):
            # A feed per evaluation, with fit_generator's queue settings, as Keras 1 did.
            with _feed(validation_data, "evaluate_generator", queue) as feed:
                return _evaluate(model, feed, *count)
        return validate
    if len(validation_data) not in (2, 3):
        raise ValueError("validation_data should be a tuple (val_x, val_y, val_sample_weight) or "
                         "(val_x, val_y). Found: %s" % (validation_data,))
    weights = validation_data[2] if len(validation_data) == 3 else None

    def validate(batch_size):
        return model.evaluate(validation_data[0], validation_data[1], batch_size=batch_size or 32,
                              verbose=0, sample_weight=weights)
    return validate


def _fit(model, feed, count, epochs, max_steps, verbose, callbacks, validation_data, validate,
         class_weight):
    mode, limit = count
    nb_epoch = epochs.stop
    val_is_gen = hasattr(validation_data, "__next__")
    first = _split(feed.get(), "fit_generator")
    nb_sample = limit if mode == "samples" else limit * _batch_len(first[0])
    if max_steps is not None:
        nb_sample = min(nb_sample, max_steps * _batch_len(first[0]))
    metrics_names = list(model.metrics_names)
    val_labels = ["val_" + n for n in metrics_names] if validation_data is not None else []
    history = History()
    callback_list = [BaseLogger()] + list(callbacks or []) + [history]
    if verbose:
        callback_list.append(ProgbarLogger())
    cbks = distributed.callback_list(callback_list)
    model.history = history
    model.stop_training = False
    cbks.set_model(model)
    cbks.set_params({"nb_epoch": nb_epoch, "nb_sample": nb_sample, "verbose": verbose,
                     "do_validation": validation_data is not None,
                     "metrics": metrics_names + val_labels})
    if validation_data is not None and not val_is_gen:
        for cb in cbks.callbacks:
            cb.validation_data = validation_data
    cbks.on_train_begin()
    pending = first
    for epoch in epochs:
        cbks.on_epoch_begin(epoch)
        seen = 0
        steps = 0
        batch_size = 0
        epoch_logs = {}
        while not _done(mode, limit, seen, steps) and (max_steps is None or steps < max_steps):
            x, y, w = pending if pending is not None else _split(feed.get(), "fit_generator")
            pending = None
            batch_size = _batch_len(x)
            batch_logs = {"batch": steps, "size": batch_size}
            cbks.on_batch_begin(steps, batch_logs)
            outs = model.train_on_batch(x, y, sample_weight=w, class_weight=class_weight)
            outs = outs if isinstance(outs, list) else [outs]
            for label, value in zip(metrics_names, outs):
                batch_logs[label] = value
            cbks.on_batch_end(steps, batch_logs)
            seen += batch_size
            steps += 1
            if mode == "samples" and seen > limit:
                warnings.warn("Epoch comprised more than `samples_per_epoch` samples, which might "
                              "affect learning results. Set `samples_per_epoch` correctly to avoid "
                              "this warning.")
            if model.stop_training:
                break
        if validate is not None:
            val_outs = validate(batch_size)
            epoch_logs.update(zip(val_labels, val_outs if isinstance(val_outs, list)
                                  else [val_outs]))
        cbks.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    cbks.on_train_end()
    return history


def _evaluate(model, feed, mode, limit):
    seen = steps = 0
    totals = None
    sizes = []
    while not _done(mode, limit, seen, steps):
        x, y, w = _split(feed.get(), "evaluate_generator")
        outs = model.test_on_batch(x, y, sample_weight=w)
        outs = outs if isinstance(outs, list) else [outs]
        size = _batch_len(x)
        totals = [o * size for o in outs] if totals is None else [
            t + o * size for t, o in zip(totals, outs)]
        sizes.append(size)
        seen += size
        steps += 1
    results = [Keras1Float64(t / float(np.sum(sizes))) for t in totals]
    return results[0] if len(results) == 1 else results


def evaluate_generator(model, generator, val_samples=None, max_q_size=None, nb_worker=None,
                       pickle_safe=None, steps=None, **kwargs):
    """Loss and metrics averaged over ``val_samples`` samples (weighted by batch sizes)."""
    queue = _queue_settings("evaluate_generator", {"max_q_size": max_q_size,
                                                   "nb_worker": nb_worker,
                                                   "pickle_safe": pickle_safe}, kwargs)
    model._require_trainer()
    mode, limit = _count(val_samples, steps, "val_samples", "steps", "evaluate_generator")
    with _feed(generator, "evaluate_generator", queue) as feed:
        return _evaluate(model, feed, mode, limit)


def predict_generator(model, generator, val_samples=None, max_q_size=None, nb_worker=None,
                      pickle_safe=None, steps=None, **kwargs):
    """Predictions for exactly ``val_samples`` samples (Keras 1), or for ``steps`` batches."""
    queue = _queue_settings("predict_generator", {"max_q_size": max_q_size,
                                                  "nb_worker": nb_worker,
                                                  "pickle_safe": pickle_safe}, kwargs)
    mode, limit = _count(val_samples, steps, "val_samples", "steps", "predict_generator")
    with _feed(generator, "predict_generator", queue) as feed:
        return _predict(model, feed, mode, limit)


def _predict(model, feed, mode, limit):
    seen = count = 0
    chunks = None
    while not _done(mode, limit, seen, count):
        item = feed.get()
        x = item[0] if isinstance(item, tuple) and len(item) in (2, 3) else item
        out = model.predict_on_batch(x)
        outs = out if isinstance(out, list) else [out]
        if chunks is None:
            chunks = [[] for _ in outs]
        for store, value in zip(chunks, outs):
            store.append(value)
        seen += _batch_len(x)
        count += 1
    results = [np.concatenate(c) for c in chunks]
    if mode == "samples":
        results = [r[:limit] for r in results]
    return results[0] if len(results) == 1 else results
