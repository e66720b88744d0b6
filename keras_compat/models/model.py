"""``Model``: the functional-API model with Keras 1's compile/fit/evaluate/predict."""

import numpy as np

from keras_compat import metrics as metrics_module
from keras_compat import objectives, optimizers
from keras_compat._args.groups import MODEL_REMOVED as _REMOVED
from keras_compat._args.rules import ArgumentError, Rename, keras1_method
from keras_compat.backend import device as device_module
from keras_compat.backend import ops as backend_ops
from keras_compat.backend.symbolic import SymbolicTensor, evaluate
from keras_compat.engine.container import Container
from keras_compat.models.base import ModelBase
from keras_compat.training import data as data_utils
from keras_compat.training.multi import MultiTrainer, predict_arrays
from keras_compat.training.trainer import Trainer


_FIT_ALIASES = (Rename("epochs", "nb_epoch", example=2),)


class ArrayList(list):
    """Several input (or target) arrays of one data set; ``shape`` is the first one's."""

    @property
    def shape(self):
        return self[0].shape

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ArrayList(None if a is None else a[index] for a in self)
        return list.__getitem__(self, index)


def _per_output(value, names, what, default):
    """Keras-1 per-output argument: one value for all, a list, or a dict by output name."""
    if isinstance(value, dict):
        for key in value:
            if key not in names:
                raise ValueError("Unknown entry in %s dictionary: \"%s\". Only expected the following "
                                 "keys: %s" % (what, key, names))
        return [value.get(name, default) for name in names]
    if isinstance(value, (list, tuple)) and what != "metrics":
        if len(value) != len(names):
            raise ValueError("When passing a list as %s, it should have one entry per model output. "
                             "The model has %d outputs, but you passed %s=%s"
                             % (what, len(names), what, value))
        return list(value)
    return [value] * len(names)


class Model(ModelBase, Container):
    """A functional model: ``Model(input=[a, b], output=[c, d])`` (also ``inputs=``/``outputs=``).

    # Torch mapping
        A ``torch.nn.Module`` over the graph's layers; training delegates to
        ``keras_compat.training`` (``Trainer`` for one input and one output, ``MultiTrainer``
        otherwise).
    """

    def __init__(self, input, output, name=None):
        # Set before the graph registers its layers, so a layer named 'loss' or 'history'
        # gets a submodule key that leaves these attributes alone.
        self._trainer = None
        self._device = None
        self.optimizer = None
        self.loss = None
        self.metrics_names = None
        self.stop_training = False
        self.history = None
        super().__init__(input, output, name=name)

    @property
    def input(self):
        return self.inputs[0] if self._single_input else list(self.inputs)

    @property
    def output(self):
        return self.outputs[0] if self._single_output else list(self.outputs)

    # -- compile -----------------------------------------------------------------------------
    @keras1_method(*_REMOVED["compile"])
    def compile(self, optimizer, loss, metrics=None, loss_weights=None, sample_weight_mode=None,
                **kwargs):
        """Configure training: per-output losses/metrics/loss_weights as lists or dicts by name."""
        # Keras 1 handed these to K.function (Theano's ``mode=``...); they change nothing here.
        backend_ops.check_function_kwargs(kwargs)
        self._compile_args = {"metrics": metrics, "loss_weights": loss_weights,
                              "sample_weight_mode": sample_weight_mode}  # for model.save
        names = self.output_names
        losses = []
        for fn in _per_output(loss, names, "loss", None):
            if fn is None:
                raise ValueError("Model %s: no loss given for an output (losses by name must name "
                                 "every output: %s)" % (self.name, names))
            resolved = objectives.get(fn)
            losses.append((self._graph_aware(resolved), getattr(resolved, "__name__", str(fn))))
        weights = _per_output(loss_weights if loss_weights is not None else 1., names,
                              "loss_weights", 1.)
        if isinstance(metrics, dict):
            per_output = _per_output(metrics, names, "metrics", [])
        else:
            per_output = [list(metrics or [])] * len(names)
        output_metrics = []
        for index, (metric_list, (_, loss_name)) in enumerate(zip(per_output, losses)):
            if isinstance(metric_list, str) or callable(metric_list):
                metric_list = [metric_list]
            resolved = []
            shape = self.outputs[index]._keras_shape
            for metric in metric_list:
                if metric in ("accuracy", "acc"):
                    label, fn = "acc", metrics_module.resolve_accuracy(objectives.get(loss_name)
                                                                       if loss_name in _KNOWN_LOSSES
                                                                       else None, shape)
                else:
                    label, fn = metrics_module.metric_name(metric), metrics_module.get(metric)
                if len(names) > 1:
                    label = "%s_%s" % (names[index], label)
                resolved.append((label, fn))
            output_metrics.append(resolved)
        modes = _per_output(sample_weight_mode, names, "sample_weight_mode", None)
        for mode in modes:
            if mode not in (None, "temporal"):
                raise ValueError("sample_weight_mode should be None or \"temporal\". Found: %r"
                                 % (mode,))
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._device = device_module.resolve()
        self._loss_names = [name for _, name in losses]
        if len(self.inputs) == 1 and len(names) == 1:
            fn, loss_name = losses[0]
            weight = float(weights[0])
            if weight != 1.:
                base = fn
                fn = lambda y_true, y_pred: weight * base(y_true, y_pred)  # noqa: E731
            self._trainer = Trainer(self, self.optimizer, fn, loss_name, output_metrics[0],
                                    self._device, sample_weight_mode=modes[0])
        else:
            self._trainer = MultiTrainer(self, self.optimizer, losses, weights, output_metrics,
                                         self._device, [m == "temporal" for m in modes], names)
        self._temporal = [m == "temporal" for m in modes]
        self.metrics_names = self._trainer.metrics_names

    def _graph_aware(self, fn):
        """Losses written over layer outputs (the VAE's KL term) return a symbolic expression;
        evaluate it with the values of the current forward pass."""
        def loss(y_true, y_pred):
            value = fn(y_true, y_pred)
            if isinstance(value, SymbolicTensor):
                value = evaluate([value], {}, lookup=self.value_of)[0]
            return value
        loss.__name__ = getattr(fn, "__name__", "loss")
        return loss

    def _require_trainer(self):
        if self._trainer is None:
            raise RuntimeError("You must compile a model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")
        return self._trainer

    # -- data ----------------------------------------------------------------------------------
    def _arrays(self, data, names, shapes, what, check_batch_dim=False):
        if isinstance(data, dict):
            for key in data:
                if key not in names:
                    raise ValueError("Error when checking model %s: the dict key \"%s\" names no model "
                                     "%s; expected keys: %s" % (what, key, what, names))
            missing = [n for n in names if n not in data]
            if missing:
                raise ValueError("No data provided for \"%s\". Need data for each key in: %s"
                                 % (missing[0], names))
            arrays = [data[n] for n in names]
        elif isinstance(data, (list, tuple)) and data and hasattr(data[0], "shape"):
            arrays = list(data)
        elif isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)) \
                and len(names) > 1:
            arrays = list(data)
        else:
            arrays = [data]
        if len(arrays) != len(names):
            raise ValueError("Error when checking model %s: the list of Numpy arrays that you are "
                             "passing to your model is not the size the model expected. Expected to "
                             "see %d arrays (for %s) but instead got %d arrays."
                             % (what, len(names), names, len(arrays)))
        out = []
        for array, name, shape in zip(arrays, names, shapes):
            array = data_utils.as_array(array, what)
            data_utils.check_array_shape(array, shape, name, what, check_batch_dim=check_batch_dim)
            out.append(array)
        lengths = {len(a) for a in out}
        if len(lengths) > 1:
            raise ValueError("All %s arrays should have the same number of samples. Got array "
                             "shapes: %s" % (what, [a.shape for a in out]))
        return out

    def _standardize_x(self, x, check_batch_dim=False):
        return self._arrays(x, self.input_names, [t._keras_shape for t in self.inputs], "input",
                            check_batch_dim)

    def _standardize_xy(self, x, y, check_batch_dim=False):
        self._require_trainer()
        xs = self._standardize_x(x, check_batch_dim)
        shapes = [data_utils.target_shape_for(name, t._keras_shape)
                  for name, t in zip(self._loss_names, self.outputs)]
        if isinstance(y, (list, tuple)) and y and not hasattr(y[0], "shape") \
                and len(self.outputs) == 1:
            y = [np.asarray(y)]
        ys = []
        raw = self._arrays(y, self.output_names, [None] * len(shapes), "target")
        for array, name, shape, loss_name, out in zip(raw, self.output_names, shapes,
                                                      self._loss_names, self.outputs):
            data_utils.check_loss_and_target(loss_name, array, out._keras_shape)
            data_utils.check_array_shape(array, shape, name, "target")
            ys.append(array)
        data_utils.check_same_length(xs[0], ys[0])
        return xs, ys

    def _weights_for(self, ys, sample_weight, class_weight):
        names = self.output_names
        sw = _per_output(sample_weight, names, "sample_weight", None) if isinstance(
            sample_weight, dict) or (isinstance(sample_weight, list) and len(names) > 1) \
            else [sample_weight] * len(names)
        cw = _per_output(class_weight, names, "class_weight", None) if isinstance(
            class_weight, dict) and set(class_weight) <= set(names) and class_weight \
            else [class_weight] * len(names)
        weights = [data_utils.sample_weights_for(y, s, c, t)
                   for y, s, c, t in zip(ys, sw, cw, self._temporal)]
        return weights

    def _pack(self, xs, ys, weights):
        """Arrays in the form the trainer expects (plain arrays on the single path)."""
        if isinstance(self._trainer, MultiTrainer):
            if all(w is None for w in weights):
                packed_w = None
            else:
                packed_w = ArrayList(w if w is not None else np.ones(
                    (len(y),) + ((y.shape[1],) if t else ()), dtype="float32")
                    for w, y, t in zip(weights, ys, self._temporal))
            return ArrayList(xs), ArrayList(ys), packed_w
        return xs[0], ys[0], weights[0]

    # -- training ------------------------------------------------------------------------------
    @keras1_method(*(_FIT_ALIASES + _REMOVED["fit"]))
    def fit(self, x, y, batch_size=32, nb_epoch=10, verbose=1, callbacks=None,
            validation_split=0., validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, **kwargs):
        """Train for ``nb_epoch`` epochs; ``x``/``y`` arrays, lists or dicts by layer name."""
        if kwargs:
            raise ArgumentError("Model.fit(): unknown argument(s) %s" % sorted(kwargs))
        xs, ys = self._standardize_xy(x, y)
        weights = self._weights_for(ys, sample_weight, class_weight)
        x_p, y_p, w_p = self._pack(xs, ys, weights)
        val = None
        if validation_data is not None:
            if len(validation_data) not in (2, 3):
                raise ValueError("When passing validation_data, it must contain 2 (x_val, y_val) or "
                                 "3 (x_val, y_val, val_sample_weights) items, however it contains "
                                 "%d items" % len(validation_data))
            vx, vy = self._standardize_xy(validation_data[0], validation_data[1])
            vw = self._weights_for(vy, validation_data[2] if len(validation_data) == 3 else None,
                                   None)
            val = self._pack(vx, vy, vw)
        elif validation_split and 0. < validation_split < 1.:
            split = data_utils.validation_split_index(len(xs[0]), validation_split)
            val = (x_p[split:], y_p[split:], None if w_p is None else w_p[split:])
            x_p, y_p = x_p[:split], y_p[:split]
            w_p = None if w_p is None else w_p[:split]
        self.history = self._trainer.fit(x_p, y_p, batch_size=batch_size, epochs=nb_epoch,
                                         verbose=verbose, callbacks=callbacks, validation_data=val,
                                         shuffle=shuffle, sample_weights=w_p,
                                         initial_epoch=initial_epoch, callback_model=self)
        return self.history

    @keras1_method(*_REMOVED["evaluate"])
    def evaluate(self, x, y, batch_size=32, verbose=1, sample_weight=None):
        xs, ys = self._standardize_xy(x, y)
        x_p, y_p, w_p = self._pack(xs, ys, self._weights_for(ys, sample_weight, None))
        return self._trainer.evaluate(x_p, y_p, batch_size=batch_size, verbose=verbose,
                                      sample_weights=w_p)

    def predict(self, x, batch_size=32, verbose=0):
        """Predictions: one array, or a list of arrays for several outputs."""
        xs = self._standardize_x(x)
        outs = predict_arrays(self, xs, batch_size, self._device or device_module.resolve(),
                              verbose=verbose)
        return outs[0] if self._single_output else outs

    def predict_on_batch(self, x):
        xs = self._standardize_x(x, check_batch_dim=True)
        outs = predict_arrays(self, xs, max(len(xs[0]), 1), self._device or device_module.resolve())
        return outs[0] if self._single_output else outs

    @keras1_method(*_REMOVED["train_on_batch"])
    def train_on_batch(self, x, y, class_weight=None, sample_weight=None):
        xs, ys = self._standardize_xy(x, y, check_batch_dim=True)
        x_p, y_p, w_p = self._pack(xs, ys, self._weights_for(ys, sample_weight, class_weight))
        return self._trainer.train_on_batch(x_p, y_p, w_p)

    @keras1_method(*_REMOVED["test_on_batch"])
    def test_on_batch(self, x, y, sample_weight=None):
        xs, ys = self._standardize_xy(x, y, check_batch_dim=True)
        x_p, y_p, w_p = self._pack(xs, ys, self._weights_for(ys, sample_weight, None))
        return self._trainer.test_on_batch(x_p, y_p, w_p)

    # -- generators: Keras 1.2.2's argument rules for Model, the loops in ModelBase -------------
    @keras1_method(*_REMOVED["fit_generator"])
    def fit_generator(self, generator, samples_per_epoch=None, nb_epoch=None, **kwargs):
        return super().fit_generator(generator, samples_per_epoch, nb_epoch, **kwargs)

    @keras1_method(*_REMOVED["evaluate_generator"])
    def evaluate_generator(self, generator, val_samples=None, **kwargs):
        return super().evaluate_generator(generator, val_samples, **kwargs)


_KNOWN_LOSSES = {"categorical_crossentropy", "sparse_categorical_crossentropy",
                 "binary_crossentropy", "mean_squared_error", "mse", "mean_absolute_error", "mae",
                 "hinge", "squared_hinge", "kullback_leibler_divergence", "poisson",
                 "cosine_proximity", "mean_absolute_percentage_error",
                 "mean_squared_logarithmic_error", "logcosh"}


def graph_for(sequential):
    """The functional Model training a Sequential whose first layer merges several models."""
    from keras_compat.engine.input_layer import Input
    inputs = [Input(batch_shape=shape) for shape in sequential.layers[0].batch_input_shape]
    if len(inputs) == 1:  # Merge([left, left]): one input (Keras 1)
        inputs = inputs[0]
    model = Model(input=inputs, output=sequential(inputs), name=sequential.name + "_graph")
    inputs = model.inputs
    model.input_names = ["%s_%d" % (sequential._input_name, i) for i in range(len(inputs))]
    return model
