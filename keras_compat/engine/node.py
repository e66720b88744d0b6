"""The functional-API history: ``SymbolicTensor`` and ``Node``.

Calling a layer on a ``SymbolicTensor`` (from ``Input``) runs no data: it builds the layer
for the known shapes (``build_for``), computes the output shape with
``get_output_shape_for`` and records a ``Node`` linking the inbound tensors to the new
output tensors.  Containers replay these nodes later on real torch tensors.
"""
import torch

from keras_compat.backend.symbolic import (OpTensor, SymbolicTensor, evaluate,  # noqa: F401
                                          is_symbolic, symbolic_aware)


class Node:
    """One call of ``outbound_layer`` on ``input_tensors`` producing ``output_tensors``."""

    def __init__(self, outbound_layer, input_tensors, output_tensors, input_shapes, output_shapes,
                 arguments=None):
        self.outbound_layer = outbound_layer
        self.input_tensors = list(input_tensors)
        self.output_tensors = list(output_tensors)
        self.input_shapes = list(input_shapes)
        self.output_shapes = list(output_shapes)
        self.arguments = arguments or {}
        self.inbound_layers = [t._keras_history[0] for t in self.input_tensors]
        self.node_indices = [t._keras_history[1] for t in self.input_tensors]
        self.tensor_indices = [t._keras_history[2] for t in self.input_tensors]
        for layer in self.inbound_layers:
            layer._outbound_nodes.append(self)

    @property
    def input_masks(self):
        return [t.has_mask for t in self.input_tensors]

    def __repr__(self):
        return "<Node %s <- %s>" % (self.outbound_layer.name,
                                    [l.name for l in self.inbound_layers])


def _shapes(value):
    """A single output shape or a list of them."""
    if isinstance(value, list) and value and isinstance(value[0], (tuple, list)):
        return [tuple(v) for v in value]
    return tuple(value)


def symbolic_call(layer, inputs, mask=None, probe=True, **kwargs):
    """``layer(symbolic)``: build for the shapes, record a Node, return output tensor(s).

    ``probe=False`` skips the trial run of user-written layers (``Sequential.add``, which
    never ran layers on data before they were trained).
    """
    multi = isinstance(inputs, (list, tuple))
    tensors = list(inputs) if multi else [inputs]
    shapes = [t._keras_shape for t in tensors]
    has_mask = [t.has_mask for t in tensors]
    if getattr(layer, "_internal_node_needed", False) and not layer._inbound_nodes:
        layer._make_internal_node()
    expected = getattr(layer, "_expected_input_count", None)
    if expected is not None and expected != len(tensors):
        raise ValueError("Layer %s expects %d inputs, but it received %d input tensors."
                         % (layer.name, expected, len(tensors)))
    if multi:
        output_shape = layer.build_for(list(shapes), has_mask)
    else:
        output_shape = layer.build_for(shapes[0], has_mask[0])
    out_mask = layer.output_has_mask(has_mask if multi else has_mask[0])
    if probe:
        _probe_custom_layer(layer, tensors, multi, output_shape)
    node_index = len(layer._inbound_nodes)
    multi_out = isinstance(output_shape, list) and output_shape and isinstance(
        output_shape[0], (tuple, list))
    out_shapes = [tuple(s) for s in output_shape] if multi_out else [tuple(output_shape)]
    masks = out_mask if isinstance(out_mask, list) else [out_mask] * len(out_shapes)
    outputs = [SymbolicTensor(s, layer, node_index, i, has_mask=m)
               for i, (s, m) in enumerate(zip(out_shapes, masks))]
    node = Node(layer, tensors, outputs, shapes, out_shapes, arguments=kwargs)
    layer._inbound_nodes.append(node)
    return outputs if multi_out else outputs[0]


def _probe_custom_layer(layer, tensors, multi, declared):
    """Run a user-written layer once on zeros to check it returns the shape it declared.

    Only for layers defined outside keras_compat (built-in layers are tested against their
    shape rule) and only when every non-batch dimension is known.
    """
    module = type(layer).__module__ or ""
    if module.startswith("keras_compat.") or getattr(layer, "_is_container", False):
        return
    if any(d is None for t in tensors for d in t._keras_shape[1:]):
        return
    if isinstance(declared, list):
        return
    batch = [torch.zeros((2,) + tuple(t._keras_shape[1:])) for t in tensors]
    was_training = layer.training
    layer.eval()
    try:
        with torch.no_grad():
            out = layer.call(batch if multi else batch[0], None)
    except Exception:  # the layer may need real data; the shape is then checked at run time
        return
    finally:
        layer.train(was_training)
    if not isinstance(out, torch.Tensor):
        return
    got = tuple(out.shape[1:])
    want = tuple(declared[1:])
    if len(got) != len(want) or any(w is not None and g != w for g, w in zip(got, want)):
        raise ValueError("Layer %s (%s) declares the output shape %s (get_output_shape_for) but its "
                         "call() returns tensors of shape %s" % (layer.name, type(layer).__name__,
                                                                 tuple(declared), (None,) + got))


class GraphMixin:
    """Keras-1 node accessors shared by every layer (``inbound_nodes``, ``get_output_at``...)."""

    def _make_internal_node(self):
        """Keras 1 gave a model its own node 0 (inputs -> outputs) before any call."""
        shape = self.output_shape
        shapes = shape if isinstance(shape, list) and shape and isinstance(shape[0], tuple) else [shape]
        outputs = [SymbolicTensor(s, self, 0, i) for i, s in enumerate(shapes)]
        self._inbound_nodes.append(Node(self, [], outputs, [], shapes))

    @property
    def inbound_nodes(self):
        return self._inbound_nodes

    @property
    def outbound_nodes(self):
        return self._outbound_nodes

    def _node_at(self, node_index, what):
        if not self._inbound_nodes:
            raise Exception("The layer %s has never been called and thus has no defined %s."
                            % (self.name, what))
        if node_index >= len(self._inbound_nodes) or node_index < -len(self._inbound_nodes):
            raise Exception("Asked to get %s at node %d, but the layer %s has only %d inbound nodes."
                            % (what, node_index, self.name, len(self._inbound_nodes)))
        return self._inbound_nodes[node_index]

    @staticmethod
    def _one_or_list(items):
        return items[0] if len(items) == 1 else list(items)

    def get_input_at(self, node_index):
        return self._one_or_list(self._node_at(node_index, "input").input_tensors)

    def get_output_at(self, node_index):
        return self._one_or_list(self._node_at(node_index, "output").output_tensors)

    def get_input_shape_at(self, node_index):
        return self._one_or_list(self._node_at(node_index, "input shape").input_shapes)

    def get_output_shape_at(self, node_index):
        return self._one_or_list(self._node_at(node_index, "output shape").output_shapes)

    def get_input_mask_at(self, node_index):
        return self._one_or_list(self._node_at(node_index, "input mask").input_masks)

    def _single_node(self, what):
        if len(self._inbound_nodes) > 1:
            raise Exception("Layer %s has multiple inbound nodes, hence the notion of \"layer %s\" "
                            "is ill-defined. Use `get_%s_at(node_index)` instead."
                            % (self.name, what, what))
        return self._node_at(0, what)

    @property
    def input(self):
        return self._one_or_list(self._single_node("input").input_tensors)

    @property
    def output(self):
        return self._one_or_list(self._single_node("output").output_tensors)
