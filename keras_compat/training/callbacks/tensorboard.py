"""``TensorBoard``: write event files for TensorBoard through ``torch.utils.tensorboard``."""
import warnings

import numpy as np
import torch

from keras_compat.training.callbacks._monitor import as_number
from keras_compat.training.callbacks.base import Callback

_MISSING = ("The TensorBoard callback needs the `tensorboard` package, which is not installed "
            "(pip install tensorboard). keras_compat writes the event files through "
            "torch.utils.tensorboard instead of TensorFlow.")


def _summary_writer_class():
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as exc:
        raise ImportError(_MISSING) from exc
    return SummaryWriter


class TensorBoard(Callback):
    """Log the epoch metrics (and optionally weight histograms/images and the graph).

    # Arguments
        log_dir: folder for the event files (``tensorboard --logdir=...``).
        histogram_freq: write a histogram of every weight every this many epochs (0: never).
        write_graph: trace the model once and write its graph.
        write_images: write 2-D weights (and conv kernels, per filter) as images with the
            histograms.
        embeddings_freq, embeddings_layer_names, embeddings_metadata: accepted for Keras 1
            compatibility; embeddings are not written (a warning says so).

    # Differences from Keras 1
        Events are written by ``torch.utils.tensorboard`` (the ``tensorboard`` package must be
        installed; without it construction raises an ``ImportError`` saying so). Every log
        value is a scalar at step ``epoch``; histograms cover the weights (not the layer
        outputs) and do not need validation data. The graph is a torch trace.
    """

    def __init__(self, log_dir="./logs", histogram_freq=0, write_graph=True, write_images=False,
                 embeddings_freq=0, embeddings_layer_names=None, embeddings_metadata=None):
        super().__init__()
        self._writer_class = _summary_writer_class()
        self.log_dir = log_dir
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.embeddings_freq = embeddings_freq
        self.embeddings_layer_names = embeddings_layer_names
        self.embeddings_metadata = embeddings_metadata or {}
        self.writer = None
        if embeddings_freq:
            warnings.warn("TensorBoard(embeddings_freq=%r): keras_compat does not write "
                          "embedding projections; only scalars, histograms, images and the "
                          "graph are written" % (embeddings_freq,))

    def set_model(self, model):
        self.model = model
        if self.writer is not None:
            self.writer.close()
        self.writer = self._writer_class(log_dir=self.log_dir)
        if self.write_graph:
            self._add_graph(model)

    def _add_graph(self, model):
        shape = getattr(model, "input_shape", None)
        if not isinstance(shape, tuple) or any(d is None for d in shape[1:]):
            warnings.warn("TensorBoard: the graph is not written (the model's input shape %r is "
                          "not fully known)" % (shape,))
            return
        parameter = next(iter(model.parameters()), None)
        device = parameter.device if parameter is not None else torch.device("cpu")
        example = torch.zeros((1,) + tuple(shape[1:]), device=device)
        was_training = model.training
        try:
            model.eval()
            with warnings.catch_warnings():
                # torch.jit.trace's deprecation notice and its warnings that a traced graph
                # may not generalise concern running the trace, not a picture of the model.
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", torch.jit.TracerWarning)
                self.writer.add_graph(_Traceable(model), example)
        except Exception as exc:  # tracing is best effort, training goes on
            warnings.warn("TensorBoard: the model graph could not be traced (%s: %s)"
                          % (type(exc).__name__, exc))
        finally:
            model.train(was_training)

    def _weight_summaries(self, epoch):
        for layer in getattr(self.model, "layers", []):
            names = layer.keras1_weight_names() if hasattr(layer, "keras1_weight_names") else []
            for name, value in zip(names, layer.get_weights()):
                self.writer.add_histogram(name, value, epoch)
                if self.write_images:
                    image = _weight_image(value)
                    if image is not None:
                        self.writer.add_image(name, image, epoch, dataformats="HW")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.writer is None:
            return
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._weight_summaries(epoch)
        for name, value in logs.items():
            if name in ("batch", "size"):
                continue
            self.writer.add_scalar(name, as_number(value), epoch)
        self.writer.flush()

    def on_train_end(self, logs=None):
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class _Traceable(torch.nn.Module):
    """What ``add_graph`` traces in place of a Keras model: the same forward and parameters.

    The tracer scans every attribute of every submodule with ``hasattr``, and Keras layers
    raise (as Keras 1 did, with a plain ``Exception``) for ``layer.input`` when a layer was
    never called on a symbolic tensor.  So the model is held outside the module tree and
    only its parameters are registered here, which keeps them graph inputs, not constants.
    """

    def __init__(self, model):
        super().__init__()
        object.__setattr__(self, "_model", model)
        for name, parameter in model.named_parameters():
            self.register_parameter(name.replace(".", "_"), parameter)

    def forward(self, x):
        return self._model(x)


def _weight_image(value):
    """A 2-D grey image (values scaled to [0, 1]) of a weight, or None for other ranks."""
    value = np.asarray(value, dtype=np.float32)
    if value.ndim == 1:
        value = value[None, :]
    elif value.ndim > 2:
        value = value.reshape(value.shape[0], -1)
    elif value.ndim != 2:
        return None
    low, high = float(value.min()), float(value.max())
    return (value - low) / (high - low) if high > low else np.zeros_like(value)
