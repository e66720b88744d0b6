"""``Merge`` layer and ``merge()`` function (Keras 1.2.2 ``keras.layers.Merge``/``merge``).

The file is not named ``merge.py``: ``keras.layers.merge`` is the ``merge()`` function, and a
module of that name would replace it as an attribute of the package.

# Differences from Keras 1
    ``Merge(layers=[...])`` accepts models (``Sequential``/``Model``) whose inputs become the
    merge's inputs (the bAbI pattern ``Sequential([Merge([seq_a, seq_b]), ...])``); merging
    plain layers already called in a graph should use ``merge([tensor_a, tensor_b])``.
"""
import torch

from keras_compat.backend import config as backend_config
from keras_compat.backend.ops import batch_dot
from keras_compat.engine.container import set_member_weights
from keras_compat.engine.layer import Layer
from keras_compat.engine.node import SymbolicTensor
from keras_compat.engine.registry import layer_from_config
from keras_compat.layers.core.lambda_layer import (ALLOW_UNSAFE_DESERIALIZATION, _dump_function,
                                                   _load_function)

_MODES = ("sum", "mul", "concat", "ave", "cos", "dot", "max")


class Merge(Layer):
    """Merge a list of tensors (or the outputs of a list of models) into one tensor.

    # Arguments
        layers: optional list of models (or layers) whose outputs are merged; with it the
            Merge can be the first layer of a ``Sequential``.
        mode: ``'sum'``, ``'mul'``, ``'concat'``, ``'ave'``, ``'cos'``, ``'dot'``, ``'max'`` or
            a function of the list of input tensors.
        concat_axis: axis for ``'concat'``.
        dot_axes: int or pair of ints, the axes contracted by ``'dot'``/``'cos'``.
        output_shape: for a callable ``mode``: a shape tuple (without batch axis) or a function
            of the list of input shapes.
        output_mask: for a callable ``mode``: a mask or a function of the list of input masks.
        arguments: extra keyword arguments passed to a callable ``mode``.
        node_indices, tensor_indices: Keras-1 graph wiring of ``layers`` (default 0).

    # Input shape
        A list of tensors (at least 2).

    # Output shape
        ``sum``/``mul``/``ave``/``max``: the common shape; ``concat``: summed along
        ``concat_axis``; ``dot``/``cos``: both shapes minus the contracted axes, ``(b, 1)`` at
        least (``cos`` then really returns ``(b, 1, 1)``, as Keras 1 did).

    # Torch mapping
        Elementwise torch ops, ``torch.cat``, ``torch.bmm`` for ``dot``/``cos``.
    """

    supports_masking = True

    def __init__(self, layers=None, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None,
                 output_mask=None, arguments=None, node_indices=None, tensor_indices=None,
                 name=None):
        super().__init__(name=name)
        if not callable(mode) and mode not in _MODES:
            raise ValueError("Invalid merge mode: %r (layer %s). Use one of %s or a function."
                             % (mode, self.name, list(_MODES)))
        self.mode = mode
        self.concat_axis = concat_axis
        self.dot_axes = dot_axes
        self._output_shape = output_shape
        self._output_mask = output_mask  # Keras 1 kept the function under this name
        self.arguments = arguments or {}
        self.node_indices = node_indices
        self.tensor_indices = tensor_indices
        self._branches = []
        self._branch_arity = []
        self._branch_slots = []
        if layers:
            if len(layers) < 2:
                raise ValueError("A Merge should only be applied to a list of layers with at least "
                                 "2 elements. Found: %s" % (layers,))
            self._set_branches(list(layers))

    # -- branches (Merge of models, Keras-1 Sequential style) -------------------------------
    def _set_branches(self, layers):
        # Each distinct branch takes its own inputs; a branch listed again (Merge([left, left]))
        # reuses the inputs of its first place, as Keras 1's Sequential took the unique source
        # inputs of the merged models.
        shapes = []
        first_slots = {}
        for layer in layers:
            if not isinstance(layer, Layer):
                raise TypeError("Merge %s: layers must be layers or models, got %r" % (self.name, layer))
            if not layer.built:
                raise ValueError("Merge %s: the layer %s is not built (give its first layer an "
                                 "input_shape)" % (self.name, layer.name))
            shape = layer.input_shape
            multi = isinstance(shape, list) or bool(shape and isinstance(shape[0], tuple))
            part = [tuple(s) for s in shape] if multi else [tuple(shape)]
            self._branch_arity.append(len(part) if multi else 1)
            if id(layer) not in first_slots:
                first_slots[id(layer)] = list(range(len(shapes), len(shapes) + len(part)))
                shapes.extend(part)
                self._register_layer(layer)
            self._branch_slots.append(first_slots[id(layer)])
        self._branches = layers
        self.batch_input_shape = shapes
        self._expected_input_count = len(shapes)

    def branch_inputs(self, inputs):
        """``(branch, its input or list of inputs)`` for each merged model, in order."""
        return [(layer, [inputs[i] for i in slots] if arity > 1 else inputs[slots[0]])
                for layer, arity, slots in zip(self._branches, self._branch_arity,
                                               self._branch_slots)]

    def _unique_branches(self):
        seen = []
        for layer in self._branches:
            if all(layer is not s for s in seen):
                seen.append(layer)
        return seen

    # -- shapes ------------------------------------------------------------------------------
    def _branch_output_shapes(self, input_shapes):
        if not self._branches:
            return input_shapes
        return [tuple(layer.output_shape) for layer in self._branches]

    def dot_axes_for(self, shape1, shape2):
        """The two axes a ``dot``/``cos`` merge of inputs of these shapes contracts (an int
        ``dot_axes`` names the same axis of both, a negative one counted from each end)."""
        axes = self.dot_axes
        if isinstance(axes, int):
            if axes < 0:
                return [axes % len(shape1), axes % len(shape2)]
            return [axes, axes]
        return list(axes)

    def _validate(self, shapes):
        mode = self.mode
        if callable(mode):
            return
        if len(shapes) < 2:
            raise ValueError("Merge %s: a merge needs at least 2 inputs, got %d"
                             % (self.name, len(shapes)))
        if mode in ("sum", "mul", "ave", "max"):
            if len(set(shapes)) > 1:
                raise ValueError("Merge %s: only layers of same output shape can be merged using %s "
                                 "mode. Layer shapes: %s" % (self.name, mode, shapes))
        elif mode in ("cos", "dot"):
            if len(shapes) > 2:
                raise ValueError("Merge %s: %s merge takes exactly 2 layers, got %d"
                                 % (self.name, mode, len(shapes)))
            shape1, shape2 = shapes
            axes = self.dot_axes_for(shape1, shape2)
            n1, n2 = shape1[axes[0]], shape2[axes[1]]
            if n1 != n2:
                raise ValueError("Merge %s: dimension incompatibility using dot mode: %s != %s. "
                                 "Layer shapes: %s, %s" % (self.name, n1, n2, shape1, shape2))
        elif mode == "concat":
            reduced = set()
            for shape in shapes:
                shape = list(shape)
                del shape[self.concat_axis]
                reduced.add(tuple(shape))
            if len(reduced) != 1:
                raise ValueError("Merge %s: \"concat\" mode can only merge layers with matching output "
                                 "shapes except for the concat axis. Layer shapes: %s"
                                 % (self.name, shapes))

    def build_for(self, input_shape, input_has_mask=False):
        if self._branches and not isinstance(input_shape, list):
            input_shape = [input_shape]  # merged models with one distinct input
        shapes = [tuple(s) for s in input_shape]
        if self._branches:
            for layer, part in self.branch_inputs(shapes):
                layer.build_for(part)
        merged_in = self._branch_output_shapes(shapes)
        self._validate(merged_in)
        self.built = True
        output_shape = self.get_output_shape_for(merged_in)
        self._input_shapes.append(shapes)
        self._output_shapes.append(output_shape)
        return output_shape

    def get_output_shape_for(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        mode = self.mode
        if callable(mode):
            if callable(self._output_shape):
                return tuple(self._output_shape(shapes))
            if self._output_shape is not None:
                return (shapes[0][0],) + tuple(self._output_shape)
            raise ValueError("The Merge layer %s has a callable `mode` argument, and we cannot infer "
                             "its output shape because no `output_shape` argument was provided. Make "
                             "sure to pass a shape tuple (or a callable) `output_shape` to Merge."
                             % self.name)
        if mode in ("sum", "mul", "ave", "max"):
            return shapes[0]
        if mode == "concat":
            output = list(shapes[0])
            for shape in shapes[1:]:
                if output[self.concat_axis] is None or shape[self.concat_axis] is None:
                    output[self.concat_axis] = None
                    break
                output[self.concat_axis] += shape[self.concat_axis]
            return tuple(output)
        shape1, shape2 = list(shapes[0]), list(shapes[1])
        axes = self.dot_axes_for(shape1, shape2)
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        shape2.pop(0)
        output = shape1 + shape2
        if len(output) == 1:
            output += [1]
        return tuple(output)

    def output_has_mask(self, input_has_mask):
        flags = input_has_mask if isinstance(input_has_mask, (list, tuple)) else [input_has_mask]
        if callable(self.mode):
            return self._output_mask is not None
        if self.mode in ("dot", "cos"):
            return False
        return any(flags)

    # -- running -----------------------------------------------------------------------------
    def forward(self, inputs, mask=None):
        if self._branches:
            if not isinstance(inputs, (list, tuple)):
                inputs = [inputs]  # merged models with one distinct input
            inputs = [layer(part) for layer, part in self.branch_inputs(inputs)]
        return self.call(inputs, mask)

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise TypeError("Merge %s must be called on a list of at least 2 tensors, got %r"
                            % (self.name, type(inputs).__name__))
        mode = self.mode
        if callable(mode):
            return mode(list(inputs), **self.arguments) if self.arguments else mode(list(inputs))
        if mode == "sum" or mode == "ave":
            output = inputs[0]
            for x in inputs[1:]:
                output = output + x
            return output / len(inputs) if mode == "ave" else output
        if mode == "mul":
            output = inputs[0]
            for x in inputs[1:]:
                output = output * x
            return output
        if mode == "max":
            output = inputs[0]
            for x in inputs[1:]:
                output = torch.maximum(output, x)
            return output
        if mode == "concat":
            return torch.cat(list(inputs), dim=self.concat_axis)
        x, y = inputs
        axes = self.dot_axes_for(x.shape, y.shape)
        if mode == "dot":
            return batch_dot(x, y, axes)
        denominator = torch.sqrt(batch_dot(x, x, axes) * batch_dot(y, y, axes))
        denominator = torch.clamp(denominator, min=backend_config.epsilon())
        return (batch_dot(x, y, axes) / denominator).unsqueeze(1)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        if callable(self.mode):
            if callable(self._output_mask):
                return self._output_mask(mask)  # Keras 1 passed the input masks only
            return self._output_mask
        if self.mode in ("sum", "mul", "ave", "max"):
            masks = [m for m in mask if m is not None]
            output = masks[0].bool()
            for m in masks[1:]:
                output = output & m.bool()
            return output
        if self.mode == "concat":
            full = []
            for x, m in zip(inputs, mask):
                if m is None:
                    full.append(torch.ones_like(x, dtype=torch.bool))
                else:
                    m = m.bool()
                    while m.dim() < x.dim():
                        m = m.unsqueeze(-1)
                    full.append(m.expand_as(x))
            return torch.cat(full, dim=self.concat_axis).all(dim=-1)
        return None

    # -- weights of merged models ------------------------------------------------------------
    def _collect(self, attr):
        return [w for layer in self._unique_branches() for w in getattr(layer, attr)]

    @property
    def trainable_weights(self):
        return self._collect("trainable_weights") if self.trainable else []

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self._collect("weights")
        return self._collect("non_trainable_weights")

    def get_weights(self):
        return [w for layer in self._unique_branches() for w in layer.get_weights()]

    def set_weights(self, weights):
        set_member_weights("layer", self.name, self._unique_branches(), weights)

    def keras1_weight_names(self):
        return [n for layer in self._unique_branches() for n in layer.keras1_weight_names()]

    def trainable_parameters(self):
        return [item for layer in self._unique_branches() for item in layer.trainable_parameters()]

    def count_params(self):
        return sum(layer.count_params() for layer in self._unique_branches())

    def _spec_constraints(self):
        found = {}
        for layer in self._unique_branches():
            found.update(layer.constraints())
        return found

    def has_regularizers(self):
        return any(layer.has_regularizers() for layer in self._unique_branches())

    def regularization_losses(self):
        return [loss for layer in self._unique_branches() for loss in layer.regularization_losses()]

    # -- config ------------------------------------------------------------------------------
    def get_config(self):
        def dump(value, what):
            if value is None or not callable(value):
                return value, "raw"
            return _dump_function(self.name, value, what)
        mode, mode_type = dump(self.mode, "the merge mode")
        output_shape, shape_type = dump(self._output_shape, "the output_shape function")
        output_mask, mask_type = dump(self._output_mask, "the output_mask function")
        config = {"name": self.name, "mode": mode, "mode_type": mode_type,
                  "concat_axis": self.concat_axis, "dot_axes": self.dot_axes,
                  "output_shape": output_shape, "output_shape_type": shape_type,
                  "output_mask": output_mask, "output_mask_type": mask_type,
                  "arguments": self.arguments}
        if self._branches:
            config["layers"] = [{"class_name": type(layer).__name__, "config": layer.get_config()}
                                for layer in self._branches]
        return config

    @classmethod
    def from_config(cls, config, safe_mode=None, custom_objects=None):
        """Rebuild from ``get_config``, the merged models of ``config['layers']`` included."""
        branches = [layer_from_config(branch, custom_objects, safe_mode)
                    for branch in config.get("layers") or ()] or None
        if safe_mode is None:
            safe_mode = not ALLOW_UNSAFE_DESERIALIZATION
        config = dict(config)
        owner = config.get("name", "merge")
        for key in ("mode", "output_shape", "output_mask"):
            kind = config.pop(key + "_type", "raw")
            if kind != "raw":
                config[key] = _load_function(owner, config[key], kind, safe_mode, custom_objects)
        if isinstance(config.get("output_shape"), list):
            config["output_shape"] = tuple(config["output_shape"])
        config.pop("layers", None)
        return cls(layers=branches, **config)

    def extra_repr(self):
        return "name=%r, mode=%s" % (self.name, getattr(self.mode, "__name__", self.mode))


def merge(inputs, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None, output_mask=None,
          arguments=None, name=None):
    """Functional ``merge([a, b], mode=...)``: a ``Merge`` layer called on symbolic tensors."""
    if not isinstance(inputs, (list, tuple)) or not all(isinstance(t, SymbolicTensor) for t in inputs):
        raise TypeError("merge() expects a list of tensors from Input() or layer calls; got %r. To "
                        "merge models or layers use Merge([...]) instead." % (inputs,))
    layer = Merge(mode=mode, concat_axis=concat_axis, dot_axes=dot_axes, output_shape=output_shape,
                  output_mask=output_mask, arguments=arguments, name=name)
    return layer(list(inputs))


