"""What ``Sequential`` and ``Model`` share: Keras 1's model attributes, layer lookup, and the
whole training surface (compile, fit, evaluate, predict, ``*_on_batch``, ``*_generator``).

Keras 1 made ``Sequential`` a wrapper around a functional ``Model`` (``model.model``) whose
training methods did the work; here both classes derive from ``ModelBase``, which reads
everything from ``model.layers`` and the model's graph tensors (``inputs``/``outputs``), so
the attribute and training surface lives once.  What differs per class is data: the Keras-1
argument rules (``_ARGUMENT_RULES``: Sequential accepted some deprecated arguments with a
warning, Model refused them) and the not-compiled message.
"""
import types
import warnings

import numpy as np
import torch

from keras_compat import metrics as metrics_module
from keras_compat import objectives, optimizers
from keras_compat._args.rules import ArgumentError, Rename, keras1_method
from keras_compat.backend import device as device_module
from keras_compat.backend.ops import check_function_kwargs
from keras_compat.backend.symbolic import SymbolicTensor, evaluate
from keras_compat.models.serialization import ModelSerialization
from keras_compat.training import data as data_utils
from keras_compat.training import generators
from keras_compat.training.multi import MultiTrainer, TensorList, predict_arrays
from keras_compat.training.trainer import Trainer, predict as predict_loop

# ``fit(epochs=...)``, the Keras-2 spelling, on both classes.
FIT_ALIASES = (Rename("epochs", "nb_epoch", example=2),)

# Losses whose accuracy metric Keras 1 chose from the loss (binary, categorical, sparse).
_KNOWN_LOSSES = {"categorical_crossentropy", "sparse_categorical_crossentropy",
                 "binary_crossentropy", "mean_squared_error", "mse", "mean_absolute_error", "mae",
                 "hinge", "squared_hinge", "kullback_leibler_divergence", "poisson",
                 "cosine_proximity", "mean_absolute_percentage_error",
                 "mean_squared_logarithmic_error", "logcosh"}

# Keras-1 layers whose output differs between training and test phase (their
# ``uses_learning_phase`` was True), for layers that do not declare the attribute themselves.
_PHASE_DEPENDENT_LAYERS = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                           "GaussianNoise", "GaussianDropout")


def _layer_uses_learning_phase(layer):
    declared = getattr(layer, "uses_learning_phase", None)
    if declared is not None:
        return bool(declared)
    name = type(layer).__name__
    if name == "BatchNormalization":
        return getattr(layer, "mode", 0) == 0
    if name in _PHASE_DEPENDENT_LAYERS:
        return True
    inner = getattr(layer, "layer", None)  # TimeDistributed / Bidirectional
    return inner is not None and _layer_uses_learning_phase(inner)


# How many argument signatures a model remembers as checked (``*_on_batch``); a model fed
# ever-new shapes (variable-length sequences) starts afresh past it.
_MAX_CHECKED_SIGNATURES = 64


def _signature(data):
    """What Keras 1's checks of one ``*_on_batch`` argument read, as a hashable key: the kind
    of container (array, list, tuple, dict by name) and each array's dtype and shape without
    the batch dimension.  None for anything else (nested lists, tensors, array subclasses),
    which is checked on every call."""
    if type(data) is np.ndarray:
        return data.dtype, data.shape[1:], data.ndim
    if isinstance(data, (list, tuple)) and data:
        parts = tuple(_signature(item) if type(item) is np.ndarray else None for item in data)
        return None if None in parts else (type(data), parts)
    if isinstance(data, dict) and data:
        parts = tuple((key, _signature(item) if type(item) is np.ndarray else None)
                      for key, item in data.items())
        return None if any(part is None for _, part in parts) else (dict, parts)
    return None


def _leaves(data):
    """The arrays of an argument ``_signature`` accepted, in the order given."""
    if type(data) is np.ndarray:
        return [data]
    return list(data.values() if isinstance(data, dict) else data)


def _checked_arrays(data, names):
    """The arrays of an argument whose signature was checked before (see ``_signature``), as
    ``_arrays`` gives them: in ``names`` order, 1-D arrays as columns."""
    if type(data) is np.ndarray:
        arrays = [data]
    elif isinstance(data, dict):
        arrays = [data[name] for name in names]
    else:
        arrays = list(data)
    return [a.reshape(-1, 1) if a.ndim == 1 else a for a in arrays]


def _method_for(cls, method):
    """``method`` (a ``ModelBase`` body) as ``cls``'s own function: messages name ``cls``."""
    own = types.FunctionType(method.__code__, method.__globals__, method.__name__,
                             method.__defaults__, method.__closure__)
    own.__kwdefaults__ = method.__kwdefaults__
    own.__doc__ = method.__doc__
    own.__qualname__ = "%s.%s" % (cls.__name__, method.__name__)
    return own


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


def _metric_parts(metric, output_shape, loss_name):
    """``[(label, fn)]`` for one ``compile(metrics=...)`` entry.  A custom metric may return a
    dict ``{name: value}`` (Keras 1.2.2 listed one metric per key, named by the key): Keras 1
    learnt the keys by building the expression at compile time; here the function runs once on
    a small zero batch of the output's shape to learn them."""
    fn = metrics_module.get(metric)
    label = metrics_module.metric_name(metric)
    if isinstance(metric, str):
        return [(label, fn)]
    shape = (2,) + tuple(1 if d is None else d for d in output_shape[1:])
    true_shape = data_utils.target_shape_for(loss_name, (None,) + shape[1:])[1:]
    try:
        with torch.no_grad():
            probe = fn(torch.zeros((2,) + tuple(true_shape)), torch.full(shape, 0.5))
    except Exception:  # noqa: BLE001 - a metric that needs real data is a plain metric
        return [(label, fn)]
    if not isinstance(probe, dict):
        return [(label, fn)]
    return [(key, _dict_entry(fn, key)) for key in probe]


def _dict_entry(fn, key):
    def entry(y_true, y_pred):
        return fn(y_true, y_pred)[key]
    entry.__name__ = key
    return entry


class ConstraintDict(dict):
    """``model.constraints``: Keras 1's dict ``{weight: constraint}``; calling it returns the
    same dict (the trainer's ``model.constraints()`` protocol)."""

    def __call__(self):
        return self

    def __hash__(self):
        return id(self)


class ModelBase(ModelSerialization):
    """Keras 1 model surface over ``layers``, ``inputs`` and ``outputs`` (Sequential and Model).

    A class that declares ``_ARGUMENT_RULES`` (``{method name: rules}``: what Keras 1.2.2
    accepted, warned about or refused there) gets the shared bodies of ``_RULED_METHODS`` as
    its own methods with those rules applied (``Sequential.fit.aliases``; messages read
    ``Sequential.fit()``).
    """

    _RULED_METHODS = ("compile", "fit", "evaluate", "train_on_batch", "test_on_batch",
                      "fit_generator", "evaluate_generator", "predict_generator")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        rules = cls.__dict__.get("_ARGUMENT_RULES")
        if rules is None:
            return
        for name in ModelBase._RULED_METHODS:
            body = _method_for(cls, ModelBase.__dict__[name])
            setattr(cls, name, keras1_method(*rules.get(name, ()))(body))

    # -- layers ---------------------------------------------------------------------------------
    def get_layer(self, name=None, index=None):
        """A layer by name, or by index in ``model.layers`` (Keras 1.2.2)."""
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError("Was asked to retrieve layer at index %d but model only has %d "
                                 "layers." % (index, len(layers)))
            return layers[index]
        if not name:
            raise ValueError("Provide either a layer name or layer index.")
        for layer in self._named_layers():
            if layer.name == name:
                return layer
        raise ValueError("No such layer: %s" % name)

    def _named_layers(self):
        return self.layers

    @property
    def flattened_layers(self):
        """Keras 1.2.2 kept this name (deprecated) for ``layers``."""
        return self.layers

    # -- state and phase --------------------------------------------------------------------------
    @property
    def uses_learning_phase(self):
        """Whether some layer computes differently in training and test (Dropout, noise, BN)."""
        return any(_layer_uses_learning_phase(layer) for layer in self.layers)

    @property
    def stateful(self):
        return any(bool(getattr(layer, "stateful", False)) for layer in self.layers)

    def reset_states(self):
        """Reset the state of every stateful layer (Keras 1's ``model.reset_states()``)."""
        for layer in self.layers:
            if hasattr(layer, "reset_states") and (getattr(layer, "stateful", False)
                                                   or isinstance(layer, ModelBase)):
                layer.reset_states()

    @property
    def state_updates(self):
        """The state tensors of the stateful layers, as Keras 1's ``(variable, new value)`` pairs.

        Torch updates the states in place during ``forward``, so each pair holds the same
        buffer twice: its value is the state after the last batch.
        """
        found = []
        for layer in self.layers:
            if isinstance(layer, ModelBase):
                found.extend(layer.state_updates)
            elif getattr(layer, "stateful", False):
                found.extend((state, state) for state in getattr(layer, "states", ()) or ())
        return found

    @property
    def regularizers(self):
        """Deprecated in Keras 1.2.2, where it already returned an empty list."""
        warnings.warn("The `regularizers` attribute of layers/models is deprecated. Regularization "
                      "losses are now managed via the `losses` layer/model property.\nThe "
                      "`regularizers` attribute will be removed after 06/2017.")
        return []

    @property
    def constraints(self):
        """``{parameter: constraint}`` over every layer (callable: returns itself)."""
        found = ConstraintDict()
        for layer in self.layers:
            found.update(layer.constraints())
        return found

    # -- compile results ------------------------------------------------------------------------
    @property
    def metrics(self):
        """The ``metrics`` argument given to ``compile`` (Keras 1 kept it as given)."""
        args = self.__dict__.get("_compile_args")
        if args is None:
            raise AttributeError("%s has no attribute 'metrics' before compile()"
                                 % type(self).__name__)
        return args["metrics"]

    @property
    def total_loss(self):
        """The total loss (weighted outputs' losses plus penalties) of the last training batch,
        a 0-d torch tensor still attached to its autograd graph; None until a batch has run.
        Keras 1 held a symbolic expression here; on torch the loss exists only once computed."""
        if self.__dict__.get("_compile_args") is None:
            raise AttributeError("%s has no attribute 'total_loss' before compile()"
                                 % type(self).__name__)
        trainer = self.__dict__.get("_trainer")
        return getattr(trainer, "last_total_loss", None)

    # -- Keras 1's compiled-function hooks -------------------------------------------------------
    # Keras 1 compiled backend functions lazily; scripts (and its own tests) call these to force
    # it.  Torch runs the model eagerly, so there is nothing to build.
    def _make_train_function(self):
        return None

    def _make_test_function(self):
        return None

    def _make_predict_function(self):
        return None

    # -- compile -------------------------------------------------------------------------------
    # What ``model.fit`` before ``compile`` says (each class keeps Keras 1.2.2's text).
    _NOT_COMPILED = ("You must compile a model before training/testing. Use "
                     "`model.compile(optimizer, loss)`.")

    def _reset_training_state(self):
        """The attributes ``compile`` sets, before it has run."""
        self._trainer = None
        self._device = None
        self.optimizer = None
        self.loss = None
        self.metrics_names = None
        self.stop_training = False
        self.history = None

    def _merged_graph(self):
        """The functional Model that trains in this model's place, or None (itself trains)."""
        return None

    def _single_arrays(self):
        """One input and one output given as tensors (not lists): plain arrays, ``Trainer``."""
        return not isinstance(self.input, list) and not isinstance(self.output, list)

    def compile(self, optimizer, loss, metrics=None, loss_weights=None, sample_weight_mode=None,
                **kwargs):
        """Configure training: per-output losses/metrics/loss_weights as lists or dicts by name."""
        graph = self._merged_graph()
        if graph is not None:
            graph.compile(optimizer, loss, metrics, loss_weights, sample_weight_mode, **kwargs)
            self._compile_args = graph._compile_args
            self._trainer, self.metrics_names = graph._trainer, graph.metrics_names
            self.optimizer, self.loss = graph.optimizer, loss
            return
        # Keras 1 handed the other keywords to K.function (Theano's compile options).
        check_function_kwargs(kwargs)
        self.__dict__.pop("_checked_argument_signatures", None)  # holds the old trainer
        if not self.layers:
            raise RuntimeError("Cannot compile an empty model: add layers first.")
        self._compile_args = {"metrics": metrics, "loss_weights": loss_weights,
                              "sample_weight_mode": sample_weight_mode}  # for model.save
        names = self.output_names
        outputs = self.outputs
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
            shape = outputs[index]._keras_shape
            for metric in metric_list:
                if metric in ("accuracy", "acc"):
                    label, fn = "acc", metrics_module.resolve_accuracy(objectives.get(loss_name)
                                                                       if loss_name in _KNOWN_LOSSES
                                                                       else None, shape)
                    parts = [(label, fn)]
                else:
                    parts = _metric_parts(metric, shape, loss_name)
                for label, fn in parts:
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
        if self._single_arrays():
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
        value_of = getattr(self, "value_of", None)
        if value_of is None:  # a Sequential chain: no intermediate values kept
            return fn

        def loss(y_true, y_pred):
            value = fn(y_true, y_pred)
            if isinstance(value, SymbolicTensor):
                value = evaluate([value], {}, lookup=value_of)[0]
            return value
        loss.__name__ = getattr(fn, "__name__", "loss")
        return loss

    def _require_trainer(self):
        if self._trainer is None:
            raise RuntimeError(self._NOT_COMPILED)
        return self._trainer

    # -- data: Keras 1's standardize_input_data ------------------------------------------------
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
        outputs = self.outputs
        names = self.output_names
        shapes = [data_utils.target_shape_for(name, t._keras_shape)
                  for name, t in zip(self._loss_names, outputs)]
        if isinstance(y, (list, tuple)) and y and not hasattr(y[0], "shape") and len(outputs) == 1:
            y = [np.asarray(y)]
        ys = []
        raw = self._arrays(y, names, [None] * len(shapes), "target")
        for array, name, shape, loss_name, out in zip(raw, names, shapes, self._loss_names,
                                                      outputs):
            # The loss-specific check first: its message (e.g. "use to_categorical") says more.
            data_utils.check_loss_and_target(loss_name, array, out._keras_shape)
            data_utils.check_array_shape(array, shape, name, "target")
            ys.append(array)
        data_utils.check_same_length(xs[0], ys[0])
        return xs, ys

    # -- *_on_batch: the checks above, once per argument signature -----------------------------
    def _checked_signatures(self):
        """The signatures whose arguments passed every check against this model as it stands
        (its input tensors and its compiled trainer): ``compile``, ``add`` and ``pop`` make a
        new trainer or inputs, and the checks run again."""
        inputs = tuple(self.inputs)
        state = self.__dict__.get("_checked_argument_signatures")
        trainer = self._trainer
        if state is None or state[0] is not trainer or len(state[1]) != len(inputs) \
                or any(a is not b for a, b in zip(state[1], inputs)) \
                or len(state[3]) > _MAX_CHECKED_SIGNATURES:
            # A model with a fixed batch size (``batch_input_shape``) checks it on every call.
            fixed_batch = any(t._keras_shape[0] is not None for t in inputs)
            state = (trainer, inputs, fixed_batch, set())
            self.__dict__["_checked_argument_signatures"] = state
        return state[2], state[3]

    def _checked_key(self, kind, *arguments):
        """The cache key of ``arguments`` (None: not cacheable) and whether it was checked."""
        signatures = tuple(_signature(a) for a in arguments)
        if None in signatures:
            return None, False
        fixed_batch, checked = self._checked_signatures()
        batch = tuple(a.shape[:1] for a in _leaves(arguments[0])) if fixed_batch else None
        key = (kind, signatures, batch)
        return key, key in checked

    def _remember(self, key):
        if key is not None:
            self._checked_signatures()[1].add(key)

    def _batch_x(self, x):
        """``_standardize_x(x, check_batch_dim=True)``, its checks skipped when an argument of
        the same signature passed them before (a bad shape is a new signature: checked)."""
        key, seen = self._checked_key("x", x)
        if seen:
            xs = _checked_arrays(x, self.input_names)
            if len({len(a) for a in xs}) == 1:
                return xs
        xs = self._standardize_x(x, check_batch_dim=True)
        self._remember(key)
        return xs

    def _batch_xy(self, x, y):
        """``_standardize_xy(x, y, check_batch_dim=True)`` with the checks cached as in
        ``_batch_x``; the sample counts, which the signature leaves out, are compared on every
        call (a mismatch takes the checked path and its Keras-1 message)."""
        self._require_trainer()
        key, seen = self._checked_key("xy", x, y)
        if seen:
            xs = _checked_arrays(x, self.input_names)
            ys = _checked_arrays(y, self.output_names)
            if len({len(a) for a in xs + ys}) == 1:
                return xs, ys
        xs, ys = self._standardize_xy(x, y, check_batch_dim=True)
        self._remember(key)
        return xs, ys

    def _weights_for(self, ys, sample_weight, class_weight):
        names = self.output_names
        sw = _per_output(sample_weight, names, "sample_weight", None) if isinstance(
            sample_weight, dict) or (isinstance(sample_weight, list) and len(names) > 1) \
            else [sample_weight] * len(names)
        cw = _per_output(class_weight, names, "class_weight", None) if isinstance(
            class_weight, dict) and set(class_weight) <= set(names) and class_weight \
            else [class_weight] * len(names)
        return [data_utils.sample_weights_for(y, s, c, t)
                for y, s, c, t in zip(ys, sw, cw, self._temporal)]

    def _pack(self, xs, ys, weights):
        """Arrays in the form the trainer expects (plain arrays on the single path)."""
        if isinstance(self._trainer, MultiTrainer):
            if all(w is None for w in weights):
                packed_w = None
            else:
                packed_w = TensorList(w if w is not None else np.ones(
                    (len(y),) + ((y.shape[1],) if t else ()), dtype="float32")
                    for w, y, t in zip(weights, ys, self._temporal))
            return TensorList(xs), TensorList(ys), packed_w
        return xs[0], ys[0], weights[0]

    # -- training ------------------------------------------------------------------------------
    def fit(self, x, y, batch_size=32, nb_epoch=10, verbose=1, callbacks=None,
            validation_split=0., validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, **kwargs):
        """Train for ``nb_epoch`` epochs; ``x``/``y`` arrays, lists or dicts by layer name.
        Returns the ``History`` callback."""
        graph = self._merged_graph()
        if graph is not None:
            self.history = graph.fit(x, y, batch_size, nb_epoch, verbose, callbacks,
                                     validation_split, validation_data, shuffle, class_weight,
                                     sample_weight, initial_epoch, **kwargs)
            return self.history
        if kwargs:
            raise ArgumentError("%s.fit(): unknown argument(s) %s"
                                % (type(self).__name__, sorted(kwargs)))
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

    def evaluate(self, x, y, batch_size=32, verbose=1, sample_weight=None):
        """Loss (and metrics) in test mode: a scalar, or a list when there are metrics."""
        graph = self._merged_graph()
        if graph is not None:
            return graph.evaluate(x, y, batch_size, verbose, sample_weight)
        xs, ys = self._standardize_xy(x, y)
        x_p, y_p, w_p = self._pack(xs, ys, self._weights_for(ys, sample_weight, None))
        return self._trainer.evaluate(x_p, y_p, batch_size=batch_size, verbose=verbose,
                                      sample_weights=w_p)

    def predict(self, x, batch_size=32, verbose=0):
        """Predictions in test mode: one float32 array, or a list for several outputs."""
        graph = self._merged_graph()
        if graph is not None:
            return graph.predict(x, batch_size, verbose)
        return self._predict(self._standardize_x(x), batch_size, verbose)

    def predict_on_batch(self, x):
        graph = self._merged_graph()
        if graph is not None:
            return graph.predict_on_batch(x)
        xs = self._batch_x(x)
        return self._predict(xs, max(len(xs[0]), 1), 0)

    def _predict(self, xs, batch_size, verbose):
        device = self._device or device_module.resolve()
        if self._single_arrays():
            return predict_loop(self, xs[0], batch_size=batch_size, verbose=verbose,
                                device=device)
        outs = predict_arrays(self, xs, batch_size, device, verbose=verbose)
        # Keras 1.2.2: one output gives its array, even when the outputs were given as a list.
        return outs[0] if len(outs) == 1 else outs

    def train_on_batch(self, x, y, class_weight=None, sample_weight=None):
        graph = self._merged_graph()
        if graph is not None:
            return graph.train_on_batch(x, y, class_weight, sample_weight)
        xs, ys = self._batch_xy(x, y)
        x_p, y_p, w_p = self._pack(xs, ys, self._weights_for(ys, sample_weight, class_weight))
        return self._trainer.train_on_batch(x_p, y_p, w_p)

    def test_on_batch(self, x, y, sample_weight=None):
        graph = self._merged_graph()
        if graph is not None:
            return graph.test_on_batch(x, y, sample_weight)
        xs, ys = self._batch_xy(x, y)
        x_p, y_p, w_p = self._pack(xs, ys, self._weights_for(ys, sample_weight, None))
        return self._trainer.test_on_batch(x_p, y_p, w_p)

    # -- generators -----------------------------------------------------------------------------
    # Further positional arguments in Keras 1.2.2's order (``max_q_size``, ``nb_worker``...).
    def fit_generator(self, generator, samples_per_epoch=None, nb_epoch=None, *args, **kwargs):
        return generators.fit_generator(self, generator, samples_per_epoch, nb_epoch, *args,
                                        **kwargs)

    def evaluate_generator(self, generator, val_samples=None, *args, **kwargs):
        return generators.evaluate_generator(self, generator, val_samples, *args, **kwargs)

    def predict_generator(self, generator, val_samples=None, *args, **kwargs):
        return generators.predict_generator(self, generator, val_samples, *args, **kwargs)
