"""The training engine: Keras-1 ``fit``/``evaluate``/``predict`` loops over a torch module.

It knows nothing about layers.  The model it drives is a ``torch.nn.Module`` that also
offers ``regularization_losses()`` and ``constraints()``, and ``trainable_parameters()``
returning ``(keras1_name, parameter)`` pairs.  Data moves to the device once per call,
batches are slices (gathers, when shuffled) of device tensors, and values are synchronised
with the host only when something is printed or a user callback asks for them.
Arrays too large for the device are streamed from host memory instead (``batches``).
"""
import contextlib

import numpy as np
import torch

from keras_compat._args.values import check_non_negative_int, check_positive_int
from keras_compat.backend import process_group
from keras_compat.backend.device import use_full_float32
from keras_compat.training import batches as batch_sources
from keras_compat.training import data as data_utils
from keras_compat.training import distributed
from keras_compat.training import precision as precision_module
from keras_compat.training.caps import cap_epochs, cap_steps
from keras_compat.training.callbacks import BaseLogger, History, ProgbarLogger
from keras_compat.training.progbar import Progbar
from keras_compat.training.scalars import Keras1Float32, Keras1Float64


def _flush_denormals():
    # Tiny gradients late in training become denormal floats, which are 10-100x slower
    # on x86 CPUs; flushing them to zero changes nothing visible and keeps steps fast.
    # (Optimizer state decaying towards zero, e.g. RMSprop's accumulators once a model fits
    # its data, otherwise stays denormal for good.)
    torch.set_flush_denormal(True)


# Now, at import, and not only in fit(): the setting is per thread, and the intra-op worker
# threads copy it from the main thread when the first parallel op creates them; set later,
# it reaches the main thread alone and the workers' share of every op stays slow.
_flush_denormals()


# The forward pass's context in full float32: nothing to enter.
_FULL_FLOAT32 = contextlib.nullcontext()


def target_dtype(loss_name):
    """The dtype a loss reads its targets in: class indices for the sparse crossentropy."""
    return torch.long if loss_name == "sparse_categorical_crossentropy" else torch.float32


class Trainer:
    """Training state of one compiled model: optimizer, loss, metrics and device."""

    def __init__(self, model, optimizer, loss_fn, loss_name, metrics, device,
                 sample_weight_mode=None):
        self.model = model
        self.optimizer = optimizer
        self.loss_fn = loss_fn
        self.loss_name = loss_name
        self.metrics = list(metrics)  # [(label, fn)]
        self.device = torch.device(device)
        self.temporal = sample_weight_mode == "temporal"
        use_full_float32(self.device)
        model.to(self.device)
        named = sorted(model.trainable_parameters(), key=lambda item: item[0])
        self.parameters = [param for _, param in named]
        # A model with nothing to train still runs train_on_batch/fit (Keras 1 did).
        self._has_parameters = bool(self.parameters)
        # None in full float32 (the default); else autocast, loss scaling, master weights.
        self.precision = precision_module.for_training(model, self.device)
        if self._has_parameters:
            bound = (self.parameters, model.constraints())
            if self.precision is not None:
                bound = self.precision.bind_arguments(*bound)
            optimizer.bind(*bound)
        self._has_regularizers = model.has_regularizers()
        self.metrics_names = ["loss"] + [label for label, _ in self.metrics]
        # What the training step calls: the model, or its DistributedDataParallel wrapper.
        self.forward_module = model
        distributed.attach(self)

    # -- tensors --------------------------------------------------------------------------
    def to_device(self, array, dtype=None):
        if isinstance(array, torch.Tensor):
            tensor = array
        else:
            tensor = torch.from_numpy(np.ascontiguousarray(array))
        if dtype is not None:
            tensor = tensor.to(dtype)
        elif tensor.dtype == torch.float64:
            tensor = tensor.float()
        return tensor.to(self.device, non_blocking=True)

    def target_tensor(self, y):
        return self.to_device(y, target_dtype(self.loss_name))

    def host_targets(self, y):
        """``y`` as a host tensor of the dtype the loss takes (what ``target_tensor`` moves)."""
        return batch_sources.host_tensor(y, target_dtype(self.loss_name))

    def batch_source(self, x, y, sample_weights=None):
        """Inputs, targets and weights as one batch source (in device memory or streamed)."""
        return batch_sources.source_for(self.device, [
            batch_sources.host_tensor(x), self.host_targets(y),
            batch_sources.host_tensor(sample_weights, torch.float32)])

    # -- one step -------------------------------------------------------------------------
    def _weighted_loss(self, per_sample, weights, mask=None):
        if mask is not None:
            # Keras 1 (weighted_objective): masked timesteps count zero, rescaled by mean(mask).
            mask = mask.to(per_sample.dtype)
            per_sample = per_sample * mask / process_group.global_mean(mask)
        if weights is None:
            return per_sample.mean()
        while per_sample.dim() > weights.dim():
            per_sample = per_sample.mean(-1)
        score = per_sample * weights
        # Keras 1 normalises by the fraction of non-zero weights, not by their sum (over the
        # global batch when data-parallel).
        return (score / process_group.global_mean((weights != 0).float())).mean()

    def _total_loss(self, y_true, y_pred, weights):
        loss = self._weighted_loss(self.loss_fn(y_true, y_pred), weights,
                                   getattr(self.model, "_last_output_mask", None))
        if self._has_regularizers:
            for penalty in self.model.regularization_losses():
                loss = loss + penalty
        return loss

    def _metric_values(self, y_true, y_pred):
        return [fn(y_true, y_pred) for _, fn in self.metrics]

    def forward_context(self):
        """Where the forward pass runs: autocast under mixed precision (the loss and metrics
        then read its output in float32)."""
        return _FULL_FLOAT32 if self.precision is None else self.precision.autocast()

    def update(self, loss):
        if self.precision is not None:
            self.precision.update(loss, self.optimizer)
            return
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()

    def train_step(self, x, y, weights):
        """One update; returns 0-d tensors (loss, metrics...) computed before the update."""
        with self.forward_context():
            y_pred = self.forward_module(x)
        if self.precision is not None:  # losses and metrics in float32
            y_pred = y_pred.float()
        loss = self._total_loss(y, y_pred, weights)
        if self._has_parameters:
            self.update(loss)
        with torch.no_grad():
            outs = [loss.detach()] + self._metric_values(y, y_pred.detach())
        self.last_total_loss = outs[0]  # read as Keras 1's ``model.total_loss``
        return outs

    def test_step(self, x, y, weights):
        with torch.inference_mode():
            with self.forward_context():
                y_pred = self.model(x)
            if self.precision is not None:
                y_pred = y_pred.float()
            return [self._total_loss(y, y_pred, weights)] + self._metric_values(y, y_pred)

    # -- loops ----------------------------------------------------------------------------
    def fit(self, x, y, *, batch_size, epochs, verbose, callbacks, validation_data,
            shuffle, sample_weights, initial_epoch, callback_model):
        _flush_denormals()
        check_positive_int("fit", "batch_size", batch_size)
        check_non_negative_int("fit", "nb_epoch", epochs)
        check_non_negative_int("fit", "initial_epoch", initial_epoch)
        epochs = cap_epochs(epochs, initial_epoch)
        source = self.batch_source(x, y, sample_weights)
        n = source.n
        do_validation = validation_data is not None
        history = History()
        callback_list = [BaseLogger()] + list(callbacks or []) + [history]
        if verbose:
            callback_list.append(ProgbarLogger())
        cbks = distributed.callback_list(callback_list)
        val_labels = ["val_" + label for label in self.metrics_names] if do_validation else []
        callback_model.stop_training = False
        cbks.set_model(callback_model)
        ranges = data_utils.batch_ranges(n, batch_size)[:cap_steps()]
        cbks.set_params({"batch_size": batch_size, "nb_epoch": epochs,
                         "nb_sample": ranges[-1][1] if ranges else n,
                         "verbose": verbose, "do_validation": do_validation,
                         "metrics": self.metrics_names + val_labels})
        if do_validation:
            val_source = self.batch_source(*validation_data)
            for cb in cbks.callbacks:
                cb.validation_data = validation_data
            if verbose and distributed.is_main():
                print("Train on %d samples, validate on %d samples"
                      % (n, validation_data[0].shape[0]))
        float_logs = cbks.needs_float_batch_logs()
        batch_hooks = cbks.needs_batch_hooks()
        cbks.on_train_begin()
        order = np.arange(n)
        for epoch in range(initial_epoch, epochs):
            cbks.on_epoch_begin(epoch)
            order = distributed.shared_order(data_utils.epoch_order(order, shuffle, batch_size))
            self.model.train()
            epoch_logs = {}
            epoch_batches = source.epoch(ranges, order)
            for batch_index, (start, end) in enumerate(ranges):
                batch_logs = {"batch": batch_index, "size": end - start}
                if batch_hooks:
                    cbks.on_batch_begin(batch_index, batch_logs)
                outs = self.train_step(*next(epoch_batches))
                if float_logs:
                    outs = _to_floats(outs)
                for label, value in zip(self.metrics_names, outs):
                    batch_logs[label] = value
                cbks.on_batch_end(batch_index, batch_logs)
                if callback_model.stop_training:
                    break
            if do_validation:
                val_outs = self.evaluate_batches(val_source, batch_size=batch_size, verbose=0)
                epoch_logs.update(zip(val_labels, _as_list(val_outs)))
            cbks.on_epoch_end(epoch, epoch_logs)
            if callback_model.stop_training:
                break
        cbks.on_train_end()
        return history

    def evaluate(self, x, y, *, batch_size, verbose, sample_weights=None):
        check_positive_int("evaluate", "batch_size", batch_size)
        return self.evaluate_batches(self.batch_source(x, y, sample_weights),
                                     batch_size=batch_size, verbose=verbose)

    def evaluate_batches(self, source, *, batch_size, verbose):
        """``evaluate`` over a batch source (``fit`` makes its validation source once)."""
        n = source.n
        self.model.eval()
        totals = None
        progbar = Progbar(target=n) if verbose == 1 else None
        ranges = data_utils.batch_ranges(n, batch_size)
        # Inference mode: no autograd bookkeeping at all (the totals never need gradients).
        with torch.inference_mode():
            for (start, end), batch in zip(ranges, source.epoch(ranges)):
                outs = self.test_step(*batch)
                scaled = [o * (end - start) for o in outs]
                totals = scaled if totals is None else [t + s for t, s in zip(totals, scaled)]
                if progbar is not None:
                    progbar.update(end)
        # Keras 1 averaged in NumPy float64 (float32 batch values times Python ints).
        results = [Keras1Float64(t / n) for t in _to_floats(totals)]
        return results[0] if len(results) == 1 else results

    def train_on_batch(self, x, y, sample_weights=None):
        _flush_denormals()
        set_phase(self.model, training=True)
        w = None if sample_weights is None else self.to_device(sample_weights, torch.float32)
        outs = self.train_step(self.to_device(x), self.target_tensor(y), w)
        results = _batch_results(outs)
        return results[0] if len(results) == 1 else results

    def test_on_batch(self, x, y, sample_weights=None):
        set_phase(self.model, training=False)
        w = None if sample_weights is None else self.to_device(sample_weights, torch.float32)
        outs = self.test_step(self.to_device(x), self.target_tensor(y), w)
        results = _batch_results(outs)
        return results[0] if len(results) == 1 else results


def set_phase(model, training):
    """Every module of ``model`` in train (``training``) or eval mode.  ``Module.train`` sets
    the flag on each submodule through ``__setattr__`` (42 us for the MLP of workload D, 1% of
    a ``train_on_batch`` call); a read of the flags (7 us) finds them already set on every
    call after the first."""
    if any(module.training != training for module in model.modules()):
        model.train(training)


def predict(model, x, *, batch_size, verbose, device):
    """Keras-1 ``predict`` (no compile needed): test phase, float32 NumPy output."""
    return predict_outputs(model, [x], batch_size=batch_size, verbose=verbose,
                           device=device)[0]


def predict_outputs(model, inputs, *, batch_size, verbose, device):
    """``predict`` for a list of input arrays: one float32 array per model output (a list).

    Runs in inference mode and writes each batch's outputs into arrays allocated once, after
    the first batch (as Keras 1 did), never a concatenation of the batches.
    """
    check_positive_int("predict", "batch_size", batch_size)
    device = torch.device(device)
    use_full_float32(device)
    model.to(device)
    model.eval()
    host, gather = distributed.predict_share(batch_sources.host_tensor(list(inputs)))
    source = batch_sources.source_for(device, [host])  # this rank's rows when data-parallel
    n = source.n
    progbar = Progbar(target=n) if verbose == 1 else None
    outputs = batch_sources.PredictionArrays(n, device, streaming=source.streaming)
    ranges = data_utils.batch_ranges(n, batch_size)
    with torch.inference_mode(), precision_module.autocast_for(device):
        for (start, end), (batch,) in zip(ranges, source.epoch(ranges)):
            out = model(batch if len(batch) > 1 else batch[0])
            outputs.write(start, end, out if isinstance(out, list) else [out])
            if progbar is not None:
                progbar.update(end)
    return gather(outputs.arrays())


def _to_floats(values):
    """Python floats of 0-d tensors with one device synchronisation, not one per value."""
    values = list(values)
    devices = {v.device for v in values if isinstance(v, torch.Tensor)}
    if len(devices) == 1 and all(isinstance(v, torch.Tensor) and v.numel() == 1 for v in values):
        return torch.stack([v.reshape(()).float() for v in values]).tolist()
    return [float(v) for v in values]


def _batch_results(values):
    """``*_on_batch`` results as Keras 1 returned them: NumPy float32 scalars (what its
    TensorFlow backend gave; Theano gave 0-d float32 arrays, which print the same)."""
    return [Keras1Float32(v) for v in _to_floats(values)]


def _as_list(value):
    return value if isinstance(value, list) else [value]
