"""``Sequential``: a linear stack of layers, a functional chain trained by ``ModelBase``."""
import warnings

import torch

from keras_compat._args.groups import SEQUENTIAL_DEPRECATIONS as _DEPRECATED
from keras_compat.backend import naming
from keras_compat.engine import summary as summary_module
from keras_compat.engine.container import LayerGroup
from keras_compat.engine.input_layer import InputLayer
from keras_compat.engine.layer import Layer, cast_model_input
from keras_compat.engine.node import symbolic_call
from keras_compat.engine.registry import layer_from_config
from keras_compat.layers.core.torch_module import TorchModule
from keras_compat.models.base import FIT_ALIASES, ModelBase
from keras_compat.models.model import Model, graph_for


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

    is_layer_stack = True
    # Used in a functional graph, a Sequential gets Keras 1's internal node 0 first.
    _internal_node_needed = True
    # Keras 1.2.2 accepted these deprecated arguments on Sequential, with a warning.
    _ARGUMENT_RULES = dict(_DEPRECATED, fit=FIT_ALIASES + _DEPRECATED["fit"])
    _NOT_COMPILED = "The model needs to be compiled before being used."

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
        self._reset_training_state()
        for layer in layers or ():
            self.add(layer)

    # -- building ----------------------------------------------------------------------------
    @property
    def layers(self):
        return list(self._layer_list)

    def add(self, layer):
        """Append a layer; its output shape is resolved now, before any data flows. A bare
        ``torch.nn.Module`` is wrapped in a ``TorchModule`` layer."""
        if isinstance(layer, torch.nn.Module) and not isinstance(layer, Layer):
            if not self._layer_list:
                raise ValueError("Sequential.add: the first layer needs an input shape, which a "
                                 "bare torch module (%s) cannot take: add TorchModule(module, "
                                 "input_shape=(...)) instead" % type(layer).__name__)
            layer = TorchModule(layer)
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

    # -- Sequential only (Keras 1.2.2): compile/fit/evaluate/predict are ModelBase's -----------
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
            # Not a child module (the Model holds this Sequential: no cycle in the module tree).
            object.__setattr__(self, "_graph", graph_for(self))
        return self._graph

    def _merged_graph(self):
        """A first layer merging several models: the functional Model over it trains (its
        inputs are the merged models' inputs)."""
        return None if self._graph is None else self._multi_input_model()

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
        model = cls()
        for layer_config in config:
            model.add(layer_from_config(layer_config, custom_objects, safe_mode))
        return model

    def extra_repr(self):
        return "name=%r" % self.name
