"""``Container``: a graph of layers from the functional API (the base of ``Model``).

The graph is resolved once, at construction: the nodes between the inputs and outputs
are ordered by depth (as Keras 1 did, which also fixes ``model.layers`` and the
``get_weights()`` order) and compiled into a flat list of steps over integer slots, so
``forward`` is a plain loop of layer calls.
"""
import warnings

from keras_compat._args.rules import Rename
from keras_compat.backend import naming
from keras_compat.engine import summary as summary_module
from keras_compat.engine.layer import Layer, cast_model_input
from keras_compat.engine.node import Node, SymbolicTensor
from keras_compat.engine.registry import layer_from_config


class _Step:
    __slots__ = ("layer", "call", "inputs", "outputs", "multi_in", "multi_out", "node",
                 "mask_out")

    def __init__(self, layer, node, inputs, outputs):
        self.layer = layer
        self.call = layer._wrapped_call_impl
        self.node = node
        self.inputs = inputs
        self.outputs = outputs
        self.multi_in = len(inputs) > 1
        self.multi_out = len(outputs) > 1
        self.mask_out = any(t.has_mask for t in node.output_tensors)


class ExecutionPlan:
    """A Container's graph as the engine runs it: ``inputs`` and ``outputs`` are slot numbers,
    ``steps`` the layer calls in order, each with ``layer``, ``inputs`` and ``outputs`` slots.
    Read-only; code generation walks it instead of the container's private state."""

    def __init__(self, inputs, steps, outputs):
        self.inputs = tuple(inputs)
        self.steps = tuple(steps)
        self.outputs = tuple(outputs)


def set_member_weights(kind, name, layers, weights):
    """Hand a flat Keras-1 weight list to ``layers`` in order, each taking as many arrays as its
    ``get_weights()`` has; all or nothing (the layers set before a failure are restored).
    ``kind`` and ``name`` say whose ``set_weights`` was called, for the error."""
    weights = list(weights)
    parts = []
    offset = 0
    for layer in layers:
        count = len(layer.get_weights())
        parts.append((layer, weights[offset:offset + count]))
        offset += count
    if offset != len(weights):
        raise ValueError("You called `set_weights(weights)` on %s %s with a weight list of "
                         "length %d, but the %s was expecting %d weights."
                         % (kind, name, len(weights), kind, offset))
    backups = [(layer, layer.get_weights()) for layer, _ in parts]
    try:
        for layer, part in parts:
            layer.set_weights(part)
    except Exception:
        for layer, old in backups:
            layer.set_weights(old)
        raise


class LayerGroup:
    """Weights of a model, read from its layers in ``_member_layers`` order (Keras 1's
    ``get_weights()`` order); shared by ``Container`` (graph order) and ``Sequential``."""

    # True for a linear stack of layers (``Sequential``): a Keras-1 weight file lists its layers
    # one group each and replaces a first-layer ``Merge`` of models by the merged layers.
    is_layer_stack = False

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [w for layer in self._member_layers for w in layer.trainable_weights]

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return [w for layer in self._member_layers for w in layer.weights]
        return [w for layer in self._member_layers for w in layer.non_trainable_weights]

    def get_weights(self):
        return [w for layer in self._member_layers for w in layer.get_weights()]

    def set_weights(self, weights):
        """Set every layer's weights (Keras-1 layout); nothing changes unless all fit."""
        set_member_weights("model", self.name, self._member_layers, weights)

    def keras1_weight_names(self):
        return [n for layer in self._member_layers for n in layer.keras1_weight_names()]

    def count_params(self):
        return sum(layer.count_params() for layer in self._member_layers)

    def trainable_parameters(self):
        """``(keras1_name, parameter)`` for every trainable weight, a shared one once."""
        found, seen = [], set()
        for layer in self._member_layers:
            for name, param in layer.trainable_parameters():
                if id(param) not in seen:
                    seen.add(id(param))
                    found.append((name, param))
        return found

    def constraints(self):
        found = {}
        for layer in self._member_layers:
            found.update(layer.constraints())
        return found

    def has_regularizers(self):
        return any(layer.has_regularizers() for layer in self._member_layers)

    def regularization_losses(self):
        return [loss for layer in self._member_layers for loss in layer.regularization_losses()]


class Container(LayerGroup, Layer):
    """A model defined by its input and output tensors (``Model(input=a, output=b)``).

    # Arguments
        input: a tensor from ``Input()`` (or a list of them); Keras-2 spelling ``inputs=``.
        output: the tensor(s) to compute; Keras-2 spelling ``outputs=``.
        name: the model's name (default ``model_<n>``).

    # Torch mapping
        A ``torch.nn.Module`` whose children are the graph's layers (registered by Keras
        name); ``forward`` takes a tensor or a list of tensors, in ``inputs`` order.
    """

    aliases = (Rename("inputs", "input", example=None), Rename("outputs", "output", example=None))
    _is_container = True

    def __init__(self, input, output, name=None):
        if not name:
            prefix = type(self).__name__.lower()
            name = "%s_%d" % (prefix, naming.get_uid(prefix))
        super().__init__(name=name)
        self.inputs = list(input) if isinstance(input, (list, tuple)) else [input]
        self.outputs = list(output) if isinstance(output, (list, tuple)) else [output]
        # Keras 1 unwrapped one-element lists (model.input, predict(), the loss's y_pred).
        self._single_input = len(self.inputs) == 1
        self._single_output = len(self.outputs) == 1
        for what, tensors in (("input", self.inputs), ("output", self.outputs)):
            for tensor in tensors:
                if not isinstance(tensor, SymbolicTensor) or tensor._keras_history is None:
                    raise TypeError("Model %s: %ss must be tensors returned by Input() or by calling "
                                    "a layer; got %r" % (self.name, what, tensor))
        if len({id(t) for t in self.inputs}) != len(self.inputs):
            raise ValueError("Model %s: the same input tensor is listed twice in its inputs"
                             % self.name)
        for tensor in self.inputs:
            layer = tensor._keras_history[0]
            if len(layer._inbound_nodes) > 1 or not layer._inbound_nodes[0].is_source:
                # Keras 1.2.2's warning; the graph walk then reports what is disconnected.
                warnings.warn("%s inputs must come from a Keras Input layer, they cannot be the "
                              "output of a previous non-Input layer. Here, a tensor specified as "
                              "input to \"%s\" was not an Input tensor, it was generated by layer "
                              "%s.\nNote that input tensors are instantiated via `tensor = "
                              "Input(shape)`.\nThe tensor that caused the issue was: %s"
                              % (type(self).__name__, self.name, layer.name, tensor.name))
        self._resolve_graph()
        self.input_layers = [t._keras_history[0] for t in self.inputs]
        self.output_layers = [t._keras_history[0] for t in self.outputs]
        self.input_names = [layer.name for layer in self.input_layers]
        self.output_names = [layer.name for layer in self.output_layers]
        self.input_layers_node_indices = [t._keras_history[1] for t in self.inputs]
        self.input_layers_tensor_indices = [t._keras_history[2] for t in self.inputs]
        self.output_layers_node_indices = [t._keras_history[1] for t in self.outputs]
        self.output_layers_tensor_indices = [t._keras_history[2] for t in self.outputs]
        shapes = [t._keras_shape for t in self.inputs]
        out_shapes = [t._keras_shape for t in self.outputs]
        self.batch_input_shape = shapes[0] if self._single_input else None
        self._input_shapes = [shapes[0] if self._single_input else shapes]
        self._output_shapes = [out_shapes[0] if self._single_output else out_shapes]
        self._expected_input_count = len(self.inputs)
        self.built = True
        # Keras 1: a container's own node 0 links its inputs to its outputs.
        outs = [SymbolicTensor(t._keras_shape, self, 0, i, has_mask=t.has_mask)
                for i, t in enumerate(self.outputs)]
        Node.connect(self, [], outs, shapes, out_shapes)
        self._inbound_nodes[0].input_tensors = list(self.inputs)

    # -- graph resolution --------------------------------------------------------------------
    def _resolve_graph(self):
        """Order the graph's nodes and layers in one pass over its nodes and connections.

        A depth-first walk from the outputs expands each node once: it records the order in
        which layers are first met (Keras 1's tie-break) and a post-order of the nodes.  A
        node's depth is its longest distance to an output (Keras 1's depth), relaxed over
        that post-order in reverse, where every consumer comes before its producers.
        ``_graph_visits`` counts the connections looked at: at most two per connection.
        """
        input_ids = {id(t) for t in self.inputs}
        layer_index = {}
        state = {}  # id(node) -> 1 while on the walk's stack, 2 once finished
        node_order = []  # post-order: producers before consumers
        discovered = []  # pre-order: the order Keras 1 met the nodes (ties in the steps)
        visits = 0

        def reach(tensor):
            layer, node_index, _ = tensor._keras_history
            node = layer._inbound_nodes[node_index]
            if layer not in layer_index:
                layer_index[layer] = len(layer_index)
            return layer, node

        def walked_inputs(layer, node, tensor):
            # The walk ends at Input tensors; past an input computed by a layer it goes on, as
            # in Keras 1, to an Input the model was not given (Graph disconnected).
            if node.is_source:
                if any(id(t) in input_ids for t in node.output_tensors):
                    return ()
                raise ValueError("Graph disconnected: cannot obtain value for tensor %s at layer "
                                 "\"%s\". The following previous layers were accessed without issue: "
                                 "%s" % (tensor.name, layer.name,
                                         [l.name for l in layer_index if l is not layer]))
            return node.input_tensors

        for output in self.outputs:
            layer, node = reach(output)
            if id(node) in state:
                continue
            state[id(node)] = 1
            discovered.append(node)
            stack = [[node, walked_inputs(layer, node, output), 0]]
            while stack:
                entry = stack[-1]
                node, inbound, position = entry
                if position == len(inbound):
                    stack.pop()
                    state[id(node)] = 2
                    node_order.append(node)
                    continue
                entry[2] = position + 1
                tensor = inbound[position]
                visits += 1
                next_layer, next_node = reach(tensor)
                seen = state.get(id(next_node))
                if seen == 1:
                    raise ValueError("Model %s: the graph has a cycle at layer %s"
                                     % (self.name, next_layer.name))
                if seen is None:
                    state[id(next_node)] = 1
                    discovered.append(next_node)
                    stack.append([next_node, walked_inputs(next_layer, next_node, tensor), 0])
        for tensor in self.inputs:
            if tensor._keras_history[0] not in layer_index:
                raise ValueError("Model %s: the input %s is not connected to any output"
                                 % (self.name, tensor.name))
        node_depth = {id(node): 0 for node in node_order}
        for node in reversed(node_order):
            if any(id(t) in input_ids for t in node.output_tensors):
                continue
            depth = node_depth[id(node)] + 1
            for tensor in node.input_tensors:
                layer, node_index, _ = tensor._keras_history
                key = id(layer._inbound_nodes[node_index])
                visits += 1
                if node_depth[key] < depth:
                    node_depth[key] = depth
        self._graph_visits = visits
        self._nodes = {id(n) for n in node_order}
        # Layers by decreasing depth; ties in discovery order (Keras 1.2.2 Container).
        layer_depth = {}
        for node in node_order:
            layer = node.outbound_layer
            layer_depth[layer] = max(layer_depth.get(layer, 0), node_depth[id(node)])
        layers = sorted(layer_index, key=lambda l: (-layer_depth[l], layer_index[l]))
        names = {}
        for layer in layers:
            if layer.name in names:
                raise ValueError("The name \"%s\" is used 2 times in the model. All layer names "
                                 "should be unique." % layer.name)
            names[layer.name] = layer
        self._graph_layers = layers
        for layer in layers:
            self._register_layer(layer)
        # Steps: nodes by decreasing depth (inbound nodes are always deeper).
        ordered = sorted(discovered, key=lambda n: -node_depth[id(n)])
        slot = {}

        def slot_of(tensor):
            if id(tensor) not in slot:
                slot[id(tensor)] = len(slot)
            return slot[id(tensor)]

        self._input_slots = [slot_of(t) for t in self.inputs]
        steps = []
        for node in ordered:
            if all(id(t) in input_ids for t in node.output_tensors) or node.is_source:
                continue
            steps.append(_Step(node.outbound_layer, node, [slot_of(t) for t in node.input_tensors],
                               [slot_of(t) for t in node.output_tensors]))
        self._steps = steps
        self._output_slots = [slot_of(t) for t in self.outputs]
        self._slot_of = slot
        self._n_slots = len(slot)
        self._mask_flow = any(t.has_mask for n in ordered for t in n.output_tensors)
        self._last_slots = [None]

    @property
    def layers(self):
        return list(self._graph_layers)

    def execution_plan(self):
        """The :class:`ExecutionPlan` the forward pass follows (slots and layer calls)."""
        return ExecutionPlan(self._input_slots, self._steps, self._output_slots)

    def get_layer(self, name=None, index=None):
        """A layer by name or by index in ``model.layers`` (Keras 1.2.2)."""
        if index is not None:
            if len(self._graph_layers) <= index:
                raise ValueError("Was asked to retrieve layer at index %d but model only has %d "
                                 "layers." % (index, len(self._graph_layers)))
            return self._graph_layers[index]
        if not name:
            raise ValueError("Provide either a layer name or layer index.")
        for layer in self._graph_layers:
            if layer.name == name:
                return layer
        raise ValueError("No such layer: %s" % name)

    # -- as a layer --------------------------------------------------------------------------
    def build_for(self, input_shape, input_has_mask=False):
        shapes = list(input_shape) if not self._single_input else [input_shape]
        if len(shapes) != len(self.inputs):
            raise ValueError("Model %s expects %d inputs but was called on %d"
                             % (self.name, len(self.inputs), len(shapes)))
        for tensor, shape in zip(self.inputs, shapes):
            expected = tensor._keras_shape
            shape = tuple(shape)
            if len(expected) != len(shape) or any(e is not None and g is not None and e != g
                                                  for e, g in zip(expected[1:], shape[1:])):
                raise ValueError("Model %s expects input shape %s but was given %s"
                                 % (self.name, expected, shape))
        return self._output_shapes[0]

    def output_has_mask(self, input_has_mask):
        flags = [t.has_mask for t in self.outputs]
        return flags[0] if self._single_output else flags

    def compute_mask(self, x, mask=None):
        """Keras 1 answered one mask per output; without input masks these are all None."""
        return None if self._single_output else [None] * len(self.outputs)

    def get_output_shape_for(self, input_shape):
        """The output shape(s) for these input shape(s), through each layer's shape rule."""
        shapes = [input_shape] if self._single_input else list(input_shape)
        if len(shapes) != len(self._input_slots):
            raise ValueError("Model %s expects %d input shapes, got %d"
                             % (self.name, len(self._input_slots), len(shapes)))
        known = {slot: tuple(shape) for slot, shape in zip(self._input_slots, shapes)}
        for step in self._steps:
            given = [known[i] for i in step.inputs]
            result = step.layer.get_output_shape_for(given if step.multi_in else given[0])
            for slot, shape in zip(step.outputs, result if step.multi_out else [result]):
                known[slot] = tuple(shape)
        found = [known[i] for i in self._output_slots]
        return found[0] if self._single_output else found

    # -- running -----------------------------------------------------------------------------
    def forward(self, inputs, mask=None):
        slots = [None] * self._n_slots
        if self._single_input:
            slots[self._input_slots[0]] = cast_model_input(inputs, self.inputs[0].dtype)
        else:
            if not isinstance(inputs, (list, tuple)) and len(self._input_slots) == 1:
                inputs = [inputs]  # inputs given as a one-element list: Keras 1's to_list
            if len(inputs) != len(self._input_slots):
                raise ValueError("Model %s expects %d inputs, got %d"
                                 % (self.name, len(self._input_slots), len(inputs)))
            for index, value, tensor in zip(self._input_slots, inputs, self.inputs):
                slots[index] = cast_model_input(value, tensor.dtype)
        if self._mask_flow or mask is not None:
            self._run_masked(slots, mask)
        else:
            for step in self._steps:
                if step.multi_in:
                    y = step.call([slots[i] for i in step.inputs])
                else:
                    y = step.call(slots[step.inputs[0]])
                if step.multi_out:
                    for o, v in zip(step.outputs, y):
                        slots[o] = v
                else:
                    slots[step.outputs[0]] = y
        self._last_slots[0] = slots
        if self._single_output:
            return slots[self._output_slots[0]]
        return [slots[i] for i in self._output_slots]

    def _run_masked(self, slots, mask):
        masks = [None] * self._n_slots
        if mask is not None:
            given = [mask] if self._single_input else list(mask)
            for index, value in zip(self._input_slots, given):
                masks[index] = value
        for step in self._steps:
            if step.multi_in:
                x = [slots[i] for i in step.inputs]
                m = [masks[i] for i in step.inputs]
                if all(v is None for v in m):
                    m = None
            else:
                x = slots[step.inputs[0]]
                m = masks[step.inputs[0]]
            y = step.call(x) if m is None else step.call(x, m)
            out_mask = step.layer.compute_mask(x, m) if step.mask_out else None
            if step.multi_out:
                for o, v in zip(step.outputs, y):
                    slots[o] = v
                    masks[o] = out_mask
            else:
                slots[step.outputs[0]] = y
                masks[step.outputs[0]] = out_mask

    def call(self, x, mask=None):
        return self.forward(x, mask)

    def value_of(self, tensor):
        """Value of a graph tensor in the last forward pass (KeyError if it is not in the graph)."""
        slots = self._last_slots[0]
        if slots is None:
            raise KeyError(tensor.name)
        return slots[self._slot_of[id(tensor)]]

    # -- weights: LayerGroup over the graph's layers --------------------------------------------
    @property
    def _member_layers(self):
        return self._graph_layers

    # -- description and config --------------------------------------------------------------
    def _node_key_index(self, layer):
        """Keras-1 renumbering: only nodes inside this model, containers start at 1."""
        mapping = {}
        kept = 1 if getattr(layer, "_is_container", False) or getattr(
            layer, "_internal_node_needed", False) else 0
        for index, node in enumerate(layer._inbound_nodes):
            if id(node) in self._nodes:
                mapping[index] = kept
                kept += 1
        return mapping

    def summary_rows(self):
        rows = []
        for layer in self._graph_layers:
            connections = []
            for node in layer._inbound_nodes:
                if id(node) not in self._nodes:
                    continue
                for inbound, node_index, tensor_index in zip(node.inbound_layers, node.node_indices,
                                                             node.tensor_indices):
                    connections.append("%s[%d][%d]" % (inbound.name, node_index, tensor_index))
            shapes = [n.output_shapes[0] if len(n.output_shapes) == 1 else n.output_shapes
                      for n in layer._inbound_nodes if id(n) in self._nodes]
            shape = summary_module.format_shape(shapes[0] if len(shapes) == 1 else shapes)
            rows.append(("%s (%s)" % (layer.name, type(layer).__name__), shape,
                         layer.count_params() if layer.built else 0, connections))
        return rows

    def summary(self, line_length=100, positions=(.33, .55, .67, 1.)):
        """Print Keras 1.2.2's summary table, with the "Connected to" column."""
        trainable = sum(int(w.numel()) for w in _unique(self.trainable_weights))
        total = sum(int(w.numel()) for w in _unique(self.weights))
        summary_module.print_summary(self.summary_rows(), trainable, total - trainable,
                                     line_length=line_length, positions=positions)

    def get_config(self):
        """Keras 1's Model config: layers with their inbound nodes, input and output layers."""
        maps = {layer: self._node_key_index(layer) for layer in self._graph_layers}
        layer_configs = []
        for layer in self._graph_layers:
            inbound = []
            for node in layer._inbound_nodes:
                if id(node) not in self._nodes or node.is_source:
                    continue
                inbound.append([[l.name, maps[l].get(i, i), t] for l, i, t in
                                zip(node.inbound_layers, node.node_indices, node.tensor_indices)])
            layer_configs.append({"name": layer.name, "class_name": type(layer).__name__,
                                  "config": layer.get_config(), "inbound_nodes": inbound})

        def refs(tensors):
            out = []
            for t in tensors:
                layer, node_index, tensor_index = t._keras_history
                out.append([layer.name, maps[layer].get(node_index, node_index), tensor_index])
            return out
        return {"name": self.name, "layers": layer_configs, "input_layers": refs(self.inputs),
                "output_layers": refs(self.outputs)}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuild the graph from ``get_config``; ``custom_objects`` and ``safe_mode`` reach
        every layer's ``from_config``, as in ``load_model``."""
        created = {}
        pending = []
        for layer_data in config["layers"]:
            layer = layer_from_config({"class_name": layer_data["class_name"],
                                       "config": layer_data["config"]}, custom_objects, safe_mode)
            created[layer_data["name"]] = layer
            pending.extend((layer, node) for node in layer_data["inbound_nodes"])

        def tensor_for(ref):
            name, node_index, tensor_index = ref[:3]
            layer = created[name]
            if node_index >= len(layer._inbound_nodes):
                raise KeyError(name)
            return layer._inbound_nodes[node_index].output_tensors[tensor_index]

        while pending:
            progress = []
            for item in pending:
                layer, node = item
                try:
                    inputs = [tensor_for(ref) for ref in node]
                except KeyError:
                    continue
                layer(inputs if len(inputs) > 1 else inputs[0])
                progress.append(item)
            if not progress:
                raise ValueError("Model config %s: cannot connect the layers %s (missing inbound "
                                 "layers)" % (config.get("name"), [l.name for l, _ in pending]))
            pending = [item for item in pending if all(item is not p for p in progress)]
        inputs = [tensor_for(ref) for ref in config["input_layers"]]
        outputs = [tensor_for(ref) for ref in config["output_layers"]]
        return cls(input=inputs if len(inputs) > 1 else inputs[0],
                   output=outputs if len(outputs) > 1 else outputs[0], name=config.get("name"))

    def extra_repr(self):
        return "name=%r" % self.name


def _unique(weights):
    seen = set()
    out = []
    for w in weights:
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out


def get_source_inputs(tensor, layer=None, node_index=None):
    """The ``Input()`` tensors a tensor was computed from (Keras 1 ``get_source_inputs``)."""
    if tensor._keras_history is None:
        return [tensor]
    if layer is None:
        layer, node_index, _ = tensor._keras_history
    node = layer._inbound_nodes[node_index]
    if node.is_source:
        return node.output_tensors
    sources = []
    for inbound in node.input_tensors:
        for source in get_source_inputs(inbound):
            if all(source is not s for s in sources):
                sources.append(source)
    return sources
