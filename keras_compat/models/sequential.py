"""``Sequential``: a linear stack of layers, with Keras 1's training methods."""
import warnings

from keras_compat import metrics as metrics_module
from keras_compat import objectives, optimizers
from keras_compat._args.groups import SEQUENTIAL_DEPRECATIONS as _DEPRECATED
from keras_compat._args.rules import ArgumentError, Rename, keras1_method
from keras_compat.backend import device as device_module
from keras_compat.backend import naming
from keras_compat.backend import ops as backend_ops
from keras_compat.engine.container import LayerGroup
from keras_compat.engine.input_layer import InputLayer
from keras_compat.engine.layer import Layer, cast_model_input
from keras_compat.engine.node import symbolic_call
from keras_compat.models import summary as summary_module
from keras_compat.models.base import ModelBase
from keras_compat.training import data as data_utils
from keras_compat.training.trainer import Trainer, predict as predict_loop

_FIT_ALIASES = (Rename("epochs", "nb_epoch", example=2),)


class Sequential(ModelBase, LayerGroup, Layer):
    """Linear stack of layers.

    # Arguments
        layers: list of layers to add to the model.
        name: the model's name (default ``sequential_<n>``).

    # Torch mapping
        A ``torch.nn.Module`` whose children are the layers, registered under their Keras
        names (``state_dict`` keys read ``dense_1.weight``); ``forward`` runs them in order.
        As in Keras 1, ``add`` also calls each layer on the previous layer's symbolic output
        (the first on an ``InputLayer``), so ``layer.input``/``layer.output``,
        ``model.input``/``model.output`` and ``model.model`` are the functional graph.
    """

    # Used in a functional graph, a Sequential gets Keras 1's internal node 0 first.
    _internal_node_needed = True

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._layer_list = []
        self._graph = None
        self._input_name = None
        # The graph tensors of the chain: the input, then each layer's output in order.
        self._chain = []
        self._mask_flow = False
        self._output_has_mask = False
        self._last_output_mask = None  # the mask of the last forward (masked losses)
        self._trainer = None
        self._device = None
        self.optimizer = None
        self.loss = None
        self.metrics_names = None
        self.stop_training = False
        self.history = None
        for layer in layers or ():
            self.add(layer)

    # -- building ----------------------------------------------------------------------------
    @property
    def layers(self):
        return list(self._layer_list)

    def add(self, layer):
        """Append a layer; its output shape is resolved now, before any data flows."""
        if not isinstance(layer, Layer):
            raise TypeError("The added layer must be an instance of class Layer. Found: %r" % (layer,))
        if any(known.name == layer.name for known in self._layer_list):
            raise ValueError("A layer named %r is already in model %s" % (layer.name, self.name))
        if not self._layer_list:
            shape = layer.batch_input_shape
            if shape is None and isinstance(layer, Sequential) and layer._layer_list:
                shape = layer.input_shape
            if shape is None:
                raise ValueError("The first layer in a Sequential model must get an `input_shape` "
                                 "or `batch_input_shape` argument (layer %s has neither)." % layer.name)
            prefix = naming.class_prefix(type(layer).__name__) + "_input"
            self._input_name = "%s_%d" % (prefix, naming.get_uid(prefix))
            if isinstance(shape, list):  # a Merge of models: several inputs (Keras-1 bAbI style)
                shape = [tuple(s) for s in shape]
                self._graph = False  # built on first use by models.model.graph_for
            else:
                entry = InputLayer(batch_input_shape=shape, name=self._input_name,
                                   input_dtype=getattr(layer, "input_dtype", None) or "float32")
                self._chain = [entry._inbound_nodes[0].output_tensors[0]]
            # A Merge of models with one distinct input (Merge([left, left])) has one input.
            self.batch_input_shape = shape[0] if isinstance(shape, list) and len(shape) == 1 \
                else tuple(shape)
            self._input_shapes = [self.batch_input_shape]
            input_has_mask = False
        else:
            shape = self.output_shape
            input_has_mask = self._output_has_mask
        if self._chain:
            output = symbolic_call(layer, self._chain[-1], probe=False)
            if isinstance(output, list):
                raise ValueError("Layer %s returns %d outputs: a Sequential model needs layers with "
                                 "one output" % (layer.name, len(output)))
            output_shape = output._keras_shape
            self._chain.append(output)
        else:
            output_shape = layer.build_for(shape, input_has_mask)
        self._output_has_mask = layer.output_has_mask(input_has_mask)
        self._mask_flow = self._mask_flow or self._output_has_mask
        self._layer_list.append(layer)
        self._register_layer(layer)
        self._output_shapes = [output_shape]
        self.built = True
        self._trainer = None

    # -- the functional graph (Keras 1: a Sequential wraps a Model) ---------------------------
    def _chain_or_graph(self, what):
        if self._chain:
            return self._chain
        if self._graph is not None and self._layer_list:
            graph = self._multi_input_model()
            return [graph.inputs, graph.outputs]
        raise AttributeError("Sequential model %s has no %s yet: add layers first" % (self.name, what))

    @property
    def inputs(self):
        chain = self._chain_or_graph("inputs")
        return list(chain[0]) if isinstance(chain[0], list) else [chain[0]]

    @property
    def outputs(self):
        chain = self._chain_or_graph("outputs")
        return list(chain[-1]) if isinstance(chain[-1], list) else [chain[-1]]

    @property
    def input(self):
        inputs = self.inputs
        return inputs[0] if len(inputs) == 1 else inputs

    @property
    def output(self):
        outputs = self.outputs
        return outputs[0] if len(outputs) == 1 else outputs

    @property
    def input_layers(self):
        return [t._keras_history[0] for t in self.inputs]

    @property
    def output_layers(self):
        return [t._keras_history[0] for t in self.outputs]

    @property
    def input_names(self):
        return [layer.name for layer in self.input_layers]

    @property
    def output_names(self):
        return [layer.name for layer in self.output_layers]

    def _named_layers(self):
        return self.input_layers + self.layers

    @property
    def model(self):
        """The functional ``Model`` over this chain (Keras 1's ``model.model``): the same layers
        and weights; Keras 1 named it ``<name>_model``."""
        if self._graph is not None:
            return self._multi_input_model()
        cached = self.__dict__.get("_functional")
        if cached is None or cached[0] is not self._chain[-1]:
            from keras_compat.models.model import Model
            if len(self._chain) < 2:
                raise AttributeError("Sequential model %s has no layers yet" % self.name)
            # Not a child module: the Model holds this Sequential's layers (no module cycle).
            cached = (self._chain[-1], Model(input=self._chain[0], output=self._chain[-1],
                                             name=self.name + "_model"))
            object.__setattr__(self, "_functional", cached)
        return cached[1]

    def pop(self):
        """Remove the last layer."""
        if not self._layer_list:
            raise TypeError("There are no layers in the model.")
        layer = self._layer_list.pop()
        self._unregister_layer(layer)
        if len(self._chain) > 1:
            self._chain.pop()
            if self._layer_list:  # forget the connection to the removed layer
                previous = self._layer_list[-1]._outbound_nodes
                previous[:] = [node for node in previous if node.outbound_layer is not layer]
        if self._layer_list:
            self._output_shapes = [self._layer_list[-1].output_shape]
        else:
            self._output_shapes = []
            self._input_shapes = []
            self.built = False
        self._trainer = None

    def build_for(self, input_shape, input_has_mask=False):
        """Use this model as a layer of another model."""
        input_shape = tuple(input_shape)
        expected = self.input_shape
        if len(expected) != len(input_shape) or any(
                e is not None and g is not None and e != g
                for e, g in zip(expected[1:], input_shape[1:])):
            raise ValueError("Model %s expects input shape %s but was given %s"
                             % (self.name, expected, input_shape))
        return self.output_shape

    def weight_specs(self):
        return []

    def get_output_shape_for(self, input_shape):
        shape = tuple(input_shape)
        for layer in self._layer_list:
            shape = layer.get_output_shape_for(shape)
        return shape

    def build(self, input_shape=None):
        """Keras 1 built the inner functional model here; the chain already is one."""
        if not self._layer_list:
            raise TypeError("Sequential model cannot be built: model is empty. Add some layers "
                            "first.")

    # -- running -----------------------------------------------------------------------------
    def forward(self, x, mask=None):
        # ``_wrapped_call_impl`` is torch's ``Module.__call__``: it skips Layer.__call__'s
        # check for functional-API symbolic tensors, which never reach forward.
        if self._layer_list:
            x = cast_model_input(x, getattr(self._layer_list[0], "input_dtype", "float32"))
        if not self._mask_flow:
            for layer in self._layer_list:
                x = layer._wrapped_call_impl(x)
            return x
        for layer in self._layer_list:
            output = layer._wrapped_call_impl(x, mask)
            mask = layer.compute_mask(x, mask)
            x = output
        # The trainer reads it: Keras 1's losses ignore masked timesteps.
        self._last_output_mask = mask
        return x

    def call(self, x, mask=None):
        return self.forward(x, mask)

    # -- weights: LayerGroup over the chain's layers --------------------------------------------
    @property
    def _member_layers(self):
        return self._layer_list

    # -- compile and train -------------------------------------------------------------------
    @keras1_method(*_DEPRECATED["compile"])
    def compile(self, optimizer, loss, metrics=None, loss_weights=None, sample_weight_mode=None,
                **kwargs):
        """Configure the learning process (Keras-1 signature)."""
        self._compile_args = {"metrics": metrics, "loss_weights": loss_weights,
                              "sample_weight_mode": sample_weight_mode}  # for model.save
        if self._graph is not None:
            self._multi_input_model().compile(optimizer, loss, metrics, loss_weights,
                                              sample_weight_mode, **kwargs)
            self._trainer = self._graph._trainer
            self.metrics_names = self._graph.metrics_names
            self.optimizer = self._graph.optimizer
            self.loss = loss
            return
        # Keras 1 handed these to K.function (Theano's ``mode=``...); they change nothing here.
        backend_ops.check_function_kwargs(kwargs)
        if not self._layer_list:
            raise RuntimeError("Cannot compile an empty model: add layers first.")
        loss_fn = objectives.get(loss)
        loss_name = getattr(loss_fn, "__name__", str(loss))
        if loss_weights is not None:
            weight = _single_loss_weight(loss_weights)
            base_fn = loss_fn
            loss_fn = lambda y_true, y_pred: weight * base_fn(y_true, y_pred)  # noqa: E731
        resolved = []
        for metric in metrics or []:
            if metric in ("accuracy", "acc"):
                fn = metrics_module.resolve_accuracy(objectives.get(loss), self.output_shape)
                resolved.append(("acc", fn))
            else:
                resolved.append((metrics_module.metric_name(metric), metrics_module.get(metric)))
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._device = device_module.resolve()
        self._trainer = Trainer(self, self.optimizer, loss_fn, loss_name, resolved, self._device,
                                sample_weight_mode=sample_weight_mode)
        self.metrics_names = self._trainer.metrics_names

    def _require_trainer(self):
        if self._trainer is None:
            raise RuntimeError("The model needs to be compiled before being used.")
        return self._trainer

    def _standardize_x(self, x, check_batch_dim=False):
        x = data_utils.as_array(x, "input")
        data_utils.check_array_shape(x, self.input_shape, self._input_name, "input",
                                     check_batch_dim=check_batch_dim)
        return x

    def _standardize_xy(self, x, y, check_batch_dim=False):
        trainer = self._require_trainer()
        x = self._standardize_x(x, check_batch_dim)
        y = data_utils.as_array(y, "target")
        # The loss-specific check first: its message (e.g. "use to_categorical") says more.
        data_utils.check_loss_and_target(trainer.loss_name, y, self.output_shape)
        data_utils.check_array_shape(y, data_utils.target_shape_for(trainer.loss_name,
                                                                    self.output_shape),
                                     self._layer_list[-1].name, "target", check_batch_dim=False)
        data_utils.check_same_length(x, y)
        return x, y

    @keras1_method(*(_FIT_ALIASES + _DEPRECATED["fit"]))
    def fit(self, x, y, batch_size=32, nb_epoch=10, verbose=1, callbacks=None,
            validation_split=0., validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, **kwargs):
        """Train for ``nb_epoch`` epochs; returns the ``History`` callback."""
        if self._graph is not None:
            self.history = self._multi_input_model().fit(
                x, y, batch_size, nb_epoch, verbose, callbacks, validation_split, validation_data,
                shuffle, class_weight, sample_weight, initial_epoch, **kwargs)
            return self.history
        if kwargs:
            raise ArgumentError("Sequential.fit(): unknown argument(s) %s" % sorted(kwargs))
        x, y = self._standardize_xy(x, y)
        trainer = self._trainer
        weights = data_utils.sample_weights_for(y, sample_weight, class_weight, trainer.temporal)
        val = None
        if validation_data is not None:
            if len(validation_data) not in (2, 3):
                raise ValueError("When passing validation_data, it must contain 2 (x_val, y_val) or "
                                 "3 (x_val, y_val, val_sample_weights) items, however it contains "
                                 "%d items" % len(validation_data))
            val_x, val_y = self._standardize_xy(validation_data[0], validation_data[1])
            val_w = (data_utils.sample_weights_for(val_y, validation_data[2], None, trainer.temporal)
                     if len(validation_data) == 3 else None)
            val = (val_x, val_y, val_w)
        elif validation_split and 0. < validation_split < 1.:
            split = data_utils.validation_split_index(len(x), validation_split)
            val = (x[split:], y[split:], None if weights is None else weights[split:])
            x, y = x[:split], y[:split]
            weights = None if weights is None else weights[:split]
        self.history = trainer.fit(x, y, batch_size=batch_size, epochs=nb_epoch, verbose=verbose,
                                   callbacks=callbacks, validation_data=val, shuffle=shuffle,
                                   sample_weights=weights, initial_epoch=initial_epoch,
                                   callback_model=self)
        return self.history

    @keras1_method(*_DEPRECATED["evaluate"])
    def evaluate(self, x, y, batch_size=32, verbose=1, sample_weight=None):
        """Loss (and metrics) in test mode: a scalar, or a list when there are metrics."""
        if self._graph is not None:
            return self._multi_input_model().evaluate(x, y, batch_size, verbose, sample_weight)
        x, y = self._standardize_xy(x, y)
        weights = data_utils.sample_weights_for(y, sample_weight, None, self._trainer.temporal)
        return self._trainer.evaluate(x, y, batch_size=batch_size, verbose=verbose,
                                      sample_weights=weights)

    def predict(self, x, batch_size=32, verbose=0):
        """Output predictions for ``x`` in test mode, as a float32 NumPy array."""
        if self._graph is not None:
            return self._multi_input_model().predict(x, batch_size, verbose)
        x = self._standardize_x(x)
        return predict_loop(self, x, batch_size=batch_size, verbose=verbose,
                            device=self._device or device_module.resolve())

    def predict_on_batch(self, x):
        if self._graph is not None:
            return self._multi_input_model().predict_on_batch(x)
        x = self._standardize_x(x, check_batch_dim=True)
        return predict_loop(self, x, batch_size=max(len(x), 1), verbose=0,
                            device=self._device or device_module.resolve())

    @keras1_method(*_DEPRECATED["train_on_batch"])
    def train_on_batch(self, x, y, class_weight=None, sample_weight=None):
        if self._graph is not None:
            return self._multi_input_model().train_on_batch(x, y, class_weight, sample_weight)
        x, y = self._standardize_xy(x, y, check_batch_dim=True)
        weights = data_utils.sample_weights_for(y, sample_weight, class_weight,
                                                self._trainer.temporal)
        return self._trainer.train_on_batch(x, y, weights)

    @keras1_method(*_DEPRECATED["test_on_batch"])
    def test_on_batch(self, x, y, sample_weight=None):
        if self._graph is not None:
            return self._multi_input_model().test_on_batch(x, y, sample_weight)
        x, y = self._standardize_xy(x, y, check_batch_dim=True)
        weights = data_utils.sample_weights_for(y, sample_weight, None, self._trainer.temporal)
        return self._trainer.test_on_batch(x, y, weights)

    def predict_proba(self, x, batch_size=32, verbose=1):
        """Class probabilities (the output of ``predict``), warning when they are not in [0, 1]."""
        preds = self.predict(x, batch_size, verbose)
        if preds.min() < 0. or preds.max() > 1.:
            warnings.warn("Network returning invalid probability values. The last layer might "
                          "not normalize predictions into probabilities (like softmax or sigmoid "
                          "would).")
        return preds

    def predict_classes(self, x, batch_size=32, verbose=1):
        """Class indices: argmax over the last axis, or ``> 0.5`` for a single output unit."""
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.shape[-1] > 1:
            return proba.argmax(axis=-1)
        return (proba > 0.5).astype("int32")

    def _multi_input_model(self):
        """A functional Model over this Sequential, for a first layer merging several models."""
        if not self._graph:
            from keras_compat.models.model import graph_for
            # Not a child module (the Model holds this Sequential: no cycle in the module tree).
            object.__setattr__(self, "_graph", graph_for(self))
        return self._graph

    # -- generators: Keras 1.2.2's argument rules for Sequential, the loops in ModelBase --------
    @keras1_method(*_DEPRECATED["fit_generator"])
    def fit_generator(self, generator, samples_per_epoch=None, nb_epoch=None, **kwargs):
        return super().fit_generator(generator, samples_per_epoch, nb_epoch, **kwargs)

    @keras1_method(*_DEPRECATED["evaluate_generator"])
    def evaluate_generator(self, generator, val_samples=None, **kwargs):
        return super().evaluate_generator(generator, val_samples, **kwargs)

    @keras1_method(*_DEPRECATED["predict_generator"])
    def predict_generator(self, generator, val_samples=None, **kwargs):
        return super().predict_generator(generator, val_samples, **kwargs)

    # -- description -------------------------------------------------------------------------
    def summary(self, line_length=100, positions=(.33, .55, .67, 1.)):
        """Print Keras 1.2.2's summary table."""
        rows = []
        previous = self._input_name
        for layer in self._layer_list:
            rows.append(("%s (%s)" % (layer.name, type(layer).__name__),
                         summary_module.format_shape(layer.output_shape), layer.count_params(),
                         ["%s[0][0]" % previous]))
            previous = layer.name
        trainable = sum(int(w.numel()) for w in self.trainable_weights)
        total = sum(int(w.numel()) for w in self.weights)
        summary_module.print_summary(rows, trainable, total - trainable, line_length=line_length,
                                     positions=positions)

    def plot_graph(self):
        """Nodes and edges for ``plot_model``: the input, then each layer in order."""
        nodes = [{"id": self._input_name, "name": self._input_name, "class_name": "InputLayer",
                  "input_shape": self.input_shape, "output_shape": self.input_shape}]
        edges = []
        previous = self._input_name
        for layer in self._layer_list:
            nodes.append({"id": layer.name, "name": layer.name, "class_name": type(layer).__name__,
                          "input_shape": layer.input_shape, "output_shape": layer.output_shape})
            edges.append((previous, layer.name))
            previous = layer.name
        return nodes, edges

    def get_config(self):
        """Keras 1's Sequential config: the list of layer configs."""
        return [{"class_name": type(layer).__name__, "config": layer.get_config()}
                for layer in self._layer_list]

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        from keras_compat.saving.model_config import layer_from_config
        model = cls()
        for layer_config in config:
            model.add(layer_from_config(layer_config, custom_objects, safe_mode))
        return model

    def extra_repr(self):
        return "name=%r" % self.name


def _single_loss_weight(loss_weights):
    if isinstance(loss_weights, dict):
        values = list(loss_weights.values())
    elif isinstance(loss_weights, (list, tuple)):
        values = list(loss_weights)
    else:
        values = [loss_weights]
    if len(values) != 1:
        raise ValueError("loss_weights has %d entries but the model has 1 output" % len(values))
    return float(values[0])
