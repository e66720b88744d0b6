"""Training several inputs and outputs: Keras-1 per-output losses, weights and metrics.

``MultiTrainer`` reuses ``Trainer``'s loops unchanged: batches of several arrays travel as
a ``TensorList`` (slices, ``index_select`` and ``shape`` act on every member), and only
the step (losses/metrics per output) is overridden.  Single-input single-output models
keep using the plain ``Trainer``.
"""
import torch

from keras_compat.training import batches as batch_sources
from keras_compat.training.trainer import Trainer, predict_outputs, target_dtype


class TensorList(list):
    """A list of equally long tensors (or arrays) that slices and permutes as one batch."""

    @property
    def shape(self):
        return self[0].shape

    def __getitem__(self, index):
        if isinstance(index, slice):
            return TensorList(None if t is None else t[index] for t in self)
        return list.__getitem__(self, index)

    def index_select(self, dim, index):
        return TensorList(None if t is None else t.index_select(dim, index) for t in self)

    def __len__(self):
        return list.__len__(self)


class MultiTrainer(Trainer):
    """Trainer for models with lists of inputs and/or outputs.

    ``losses``: one ``(fn, name)`` per output; ``loss_weights``: floats; ``output_metrics``:
    one list of ``(label, fn)`` per output (labels already prefixed by the output name when
    the model has several outputs); ``temporal``: one flag per output.
    """

    def __init__(self, model, optimizer, losses, loss_weights, output_metrics, device, temporal,
                 output_names):
        super().__init__(model, optimizer, None, "multi", [], device)
        self.losses = list(losses)
        self.loss_weights = [float(w) for w in loss_weights]
        self.output_metrics = [list(m) for m in output_metrics]
        self.temporal_flags = list(temporal)
        self.temporal = any(self.temporal_flags)
        self.output_names = list(output_names)
        self.single_output = len(self.losses) == 1
        names = ["loss"]
        if not self.single_output:
            names += ["%s_loss" % name for name in self.output_names]
        names += [label for metrics in self.output_metrics for label, _ in metrics]
        self.metrics_names = names

    def to_device(self, array, dtype=None):
        if isinstance(array, list):
            return TensorList(None if a is None else Trainer.to_device(self, a, dtype) for a in array)
        return Trainer.to_device(self, array, dtype)

    def host_targets(self, y):
        return TensorList(batch_sources.host_tensor(t, target_dtype(name))
                          for t, (_, name) in zip(y, self.losses))

    def target_tensor(self, y):
        return TensorList(Trainer.to_device(self, t, target_dtype(name))
                          for t, (_, name) in zip(y, self.losses))

    def _forward(self, x):
        y_pred = self.forward_module(x[0] if len(x) == 1 else x)
        # A model whose outputs were given as a list returns a list, even of one tensor.
        return y_pred if isinstance(y_pred, list) else [y_pred]

    def _losses(self, y_true, y_pred, weights):
        parts = []
        total = None
        for i, ((fn, _), weight) in enumerate(zip(self.losses, self.loss_weights)):
            w = None if weights is None else weights[i]
            part = self._weighted_loss(fn(y_true[i], y_pred[i]), w)
            parts.append(part)
            scaled = part * weight if weight != 1. else part
            total = scaled if total is None else total + scaled
        if self._has_regularizers:
            for penalty in self.model.regularization_losses():
                total = total + penalty
        return total, parts

    def _metric_values(self, y_true, y_pred):
        return [fn(y_true[i], y_pred[i]) for i, metrics in enumerate(self.output_metrics)
                for _, fn in metrics]

    def _outs(self, total, parts, y, y_pred):
        outs = [total.detach()]
        if not self.single_output:
            outs += [p.detach() for p in parts]
        return outs + self._metric_values(y, y_pred)

    def train_step(self, x, y, weights):
        with self.forward_context():
            y_pred = self._forward(x)
        if self.precision is not None:  # losses and metrics in float32
            y_pred = [p.float() for p in y_pred]
        total, parts = self._losses(y, y_pred, weights)
        if self._has_parameters:
            self.update(total)
        self.last_total_loss = total.detach()  # read as Keras 1's ``model.total_loss``
        with torch.no_grad():
            return self._outs(total, parts, y, [p.detach() for p in y_pred])

    def test_step(self, x, y, weights):
        with torch.inference_mode():
            with self.forward_context():
                y_pred = self._forward(x)
            if self.precision is not None:
                y_pred = [p.float() for p in y_pred]
            total, parts = self._losses(y, y_pred, weights)
            return self._outs(total, parts, y, y_pred)


def predict_arrays(model, inputs, batch_size, device, verbose=0):
    """Predict for a list of input arrays; returns one array per model output (a list)."""
    return predict_outputs(model, inputs, batch_size=batch_size, verbose=verbose, device=device)
