"""Keras-1 model -> plain PyTorch: ``model.to_torch()`` and the source ``keras-compat port`` writes.

``generate_source(model)`` returns readable Python source for an ``nn.Module`` class that
imports only ``torch`` (Keras-1 layer names and classes kept as comments) and the matching
``state_dict`` (torch layouts: ``Linear.weight = W.T``, conv kernels ``(out, in, *k)``,
``BatchNorm.running_var`` = Keras' ``running_std``, which holds a variance). Every
backend-dependent choice is resolved at generation time into plain numbers:

* kernels are stored in the orientation torch's cross-correlation (``F.conv*``) runs
  (``kernels.py``: flipped for layers built under the emulated Theano backend);
* ``'same'`` padding becomes explicit ``F.pad`` amounts (and Theano's crop), computed
  from the model's known input shape;
* ``tf`` ordering becomes explicit ``permute`` calls around the channels-first torch ops.

The model's graph is walked once: Sequential models, functional ``Model`` graphs (several
inputs and outputs, shared layers, nested models) and Keras 1's ``Merge`` of models all
become one flat ``forward``. A chain of layers works on the local ``x``; a tensor used more
than once, or by a merge, gets a local named after its layer. Masks (``Embedding(mask_zero=
True)``, ``Masking``) become boolean locals read by the recurrent loops; stateful recurrent
states become buffers, zeroed by the generated ``reset_states()``.

Names from the model file reach the source only as sanitised, unique identifiers and
escaped comments, and the result's syntax tree is checked (``audit.py``) before it
is returned; a hostile name cannot add a line. ``to_torch(model)`` compiles that checked
tree (without the docstring) in a fresh namespace (nothing from keras_compat is imported
by it) and returns the module with the weights loaded, in eval mode. The layers
translated are those whose class, or a base class they compute as, is registered in
``translators/``; anything else (``Lambda``, custom layers) raises a ``PortError`` naming
the layer. A ``TorchModule``'s module is code the port never writes: the generated class
takes it as an ``__init__`` argument (``generate_port`` returns them; ``to_torch`` passes
copies).
"""
import copy
import keyword

from keras_compat import backend as K
from keras_compat.engine.container import Container, LayerGroup
from keras_compat.layers import Merge
from keras_compat.port import translators  # noqa: F401  (fills the registry)
from keras_compat.port.audit import checked_tree, compiled
from keras_compat.port.registry import translator_for
from keras_compat.port.source import (RESERVED_LOCALS, LayerCall, ModuleSource, PortError,
                                      comment_text, identifier)


class _Tensor:
    """A value of the generated forward: the output of one layer call (or a model input)."""

    def __init__(self, base_name, shape, has_mask):
        self.base_name = base_name
        self.shape = tuple(shape)
        self.has_mask = bool(has_mask)
        self.local = None       # the local holding it, once named
        self.mask_local = None  # the local holding its mask
        self.consumers = []


class _Call:
    def __init__(self, layer, inputs, output):
        self.layer = layer
        self.inputs = inputs
        self.output = output


class _Graph:
    """The model's layer calls in execution order, nested models and Merge branches inlined."""

    def __init__(self, model):
        self.calls = []
        self.inputs = [_Tensor(name, shape, False)
                       for name, shape in zip(_input_names(model), _input_shapes(model))]
        self.outputs = self._trace(model, self.inputs)

    def _trace(self, model, inputs):
        if _is_chain(model):
            values = inputs
            for layer in model.layers:
                values = self._apply(layer, values)
            return values
        if isinstance(model, Container):
            plan = model.execution_plan()
            slots = dict(zip(plan.inputs, inputs))
            for step in plan.steps:
                produced = self._apply(step.layer, [slots[i] for i in step.inputs])
                if len(produced) != len(step.outputs):
                    raise PortError("to_torch: layer %s (%s) has %d outputs; only layers with one "
                                    "output are ported" % (step.layer.name,
                                                           type(step.layer).__name__,
                                                           len(step.outputs)))
                slots.update(zip(step.outputs, produced))
            return [slots[i] for i in plan.outputs]
        raise PortError("to_torch: %s is not a Keras model" % type(model).__name__)

    def _apply(self, layer, inputs):
        if isinstance(layer, LayerGroup):  # a nested model
            return self._trace(layer, inputs)
        branches = layer.branch_inputs(inputs) if isinstance(layer, Merge) else None
        if branches:  # Keras 1's Merge of models: run each branch on its share of the inputs
            merged = []
            for branch, part in branches:
                merged.extend(self._apply(branch, part if isinstance(part, list) else [part]))
            inputs = merged
        flags = [t.has_mask for t in inputs]
        has_mask = layer.output_has_mask(flags if len(inputs) > 1 else flags[0])
        shape = _output_shape_for(layer, inputs)
        output = _Tensor(layer.name, shape, has_mask)
        call = _Call(layer, inputs, output)
        for tensor in inputs:
            tensor.consumers.append(call)
        self.calls.append(call)
        return [output]


def input_consumers(model):
    """``[(batch_shape, [layers reading that input directly]), ...]`` per model input."""
    graph = _Graph(model)
    return [(t.shape, [call.layer for call in t.consumers]) for t in graph.inputs]


def _is_chain(model):
    """True for a Sequential: a group of layers run in order, not a graph (Container)."""
    return isinstance(model, LayerGroup) and model.is_layer_stack


def _input_names(model):
    if _is_chain(model):
        shape = model.batch_input_shape
        count = len(shape) if shape and isinstance(shape[0], tuple) else 1
        return ["x"] if count == 1 else ["input_%d" % (k + 1) for k in range(count)]
    return list(model.input_names) if len(model.input_names) > 1 else ["x"]


def _input_shapes(model):
    shape = model.batch_input_shape
    if shape is not None and not (shape and isinstance(shape[0], tuple)):
        return [shape]
    if shape is not None:
        return list(shape)
    return [K.int_shape(t) for t in model.inputs]


def _output_shape_for(layer, inputs):
    shapes = [t.shape for t in inputs]
    return layer.get_output_shape_for(shapes if len(shapes) > 1 else shapes[0])


class _Writer:
    """Turns the traced calls into forward() lines, keeping chains of layers on ``x``."""

    def __init__(self, graph):
        self.graph = graph
        self.src = ModuleSource()
        self.locals = set()
        self.body = []
        self.in_x = None  # the tensor the local x holds now

    def _name(self, tensor):
        if tensor.local is None:
            tensor.local = identifier(tensor.base_name, self.locals, RESERVED_LOCALS)
            self.body.append("%s = x" % tensor.local)
        return tensor.local

    def _load(self, tensor):
        if self.in_x is not tensor:
            self.body.append("x = %s" % tensor.local)
            self.in_x = tensor

    def write(self):
        for tensor in self.graph.inputs:
            tensor.local = identifier(tensor.base_name, self.locals,
                                      RESERVED_LOCALS - {"x"})
        self.arguments = [t.local for t in self.graph.inputs]
        self.in_x = None
        first = self.graph.inputs[0]
        if first.local == "x":
            self.in_x = first
            if self._needs_name(first, -1):  # x is overwritten by the first layer
                first.local = None
                first.base_name = "inputs"
                self._name(first)
        for index, call in enumerate(self.graph.calls):
            self._write_call(call)
            if self._needs_name(call.output, index):
                self._name(call.output)
        outputs = self.graph.outputs
        if len(outputs) == 1 and self.in_x is outputs[0]:
            self.body.append("return x")
        else:
            self.body.append("return %s" % ", ".join(self._name_for_return(t) for t in outputs))
        return self.body

    def _name_for_return(self, tensor):
        if tensor.local is None:  # only possible for the tensor in x
            return "x"
        return tensor.local

    def _needs_name(self, tensor, index):
        calls = self.graph.calls
        outputs = self.graph.outputs
        if tensor in outputs and (len(outputs) > 1 or tensor.consumers):
            return True
        if not tensor.consumers:
            return False
        if len(tensor.consumers) > 1:
            return True
        consumer = tensor.consumers[0]
        next_call = calls[index + 1] if index + 1 < len(calls) else None
        return consumer is not next_call or len(consumer.inputs) > 1

    def _write_call(self, call):
        layer = call.layer
        multi = len(call.inputs) > 1
        if not multi:
            self._load(call.inputs[0])
        masks = [t.mask_local for t in call.inputs]
        mask_name = identifier(layer.name + "_mask", self.locals, RESERVED_LOCALS)
        self.locals.discard(mask_name)  # taken only if the translator uses it
        layer_call = LayerCall(self.src, layer,
                               inputs=[t.local for t in call.inputs] if multi else None,
                               mask=None if multi else masks[0], mask_name=mask_name,
                               input_shape=[t.shape for t in call.inputs] if multi
                               else call.inputs[0].shape,
                               input_masks=masks if multi else None)
        lines = translator_for(layer)(layer_call)
        self.body.append("# %s (%s) -> %s" % (comment_text(layer.name),
                                              comment_text(type(layer).__name__),
                                              tuple(call.output.shape)))
        self.body.extend(lines)
        self.in_x = call.output
        if call.output.has_mask:
            if layer_call.out_mask is not None:
                self.locals.add(mask_name)
                call.output.mask_local = layer_call.out_mask
            elif not multi:
                call.output.mask_local = masks[0]
            if call.output.mask_local is None:
                raise PortError("to_torch: layer %s (%s) passes on a mask this port cannot "
                                "follow" % (layer.name, type(layer).__name__))


def generate_source(model, class_name="PortedModel"):
    """``(source, state_dict)`` of a standalone PyTorch module computing ``model``."""
    source, state, _ = generate_port(model, class_name)
    return source, state


def generate_port(model, class_name="PortedModel"):
    """``(source, state_dict, modules)``: ``generate_source``'s two plus ``{argument: torch
    module}``, the modules of the model's ``TorchModule`` layers, which the generated class
    takes as ``__init__`` arguments (empty when it has none)."""
    if not (isinstance(class_name, str) and class_name.isascii() and class_name.isidentifier()
            and not keyword.iskeyword(class_name) and not class_name.startswith("_")):
        raise PortError("class name %r is not a plain Python identifier" % (class_name,))
    graph = _Graph(model)
    writer = _Writer(graph)
    body = writer.write()
    src = writer.src
    arguments = ", ".join(writer.arguments)
    methods = ""
    if src.state_buffers:
        methods = ("\n\n    def reset_states(self):\n"
                   '        """Zero the recurrent states kept between calls (stateful layers)."""\n'
                   + "".join("        self.%s.zero_()\n" % name for name in src.state_buffers))
    shapes = [t.shape for t in graph.inputs]
    out_shapes = [t.shape for t in graph.outputs]
    modules = dict(src.module_arguments)
    construct = "%s()" % class_name
    if modules:
        construct = "%s(%s)" % (class_name, ", ".join("%s=<the torch module of that layer>" % name
                                                      for name in modules))
    source = '''"""PyTorch port of the Keras-1 model '%(name)s', generated by keras-compat port.

Input shape%(ins)s (batch first): %(inp)s; output shape%(outs)s: %(out)s.
Only torch is needed to run it%(wrapped)s; load the weights with
    model = %(construct)s
    model.load_state_dict(torch.load("<weights>.pt", weights_only=True))
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class %(cls)s(nn.Module):
    def __init__(self%(init_args)s):
        super().__init__()
%(init)s

    def forward(self, %(args)s):
%(body)s%(methods)s
''' % {"name": comment_text(model.name),
       "ins": "s" if len(shapes) > 1 else "", "outs": "s" if len(out_shapes) > 1 else "",
       "inp": ", ".join(str(s) for s in shapes), "out": ", ".join(str(s) for s in out_shapes),
       "cls": class_name, "args": arguments, "construct": construct,
       "init_args": "".join(", " + name for name in modules),
       "wrapped": (" and the torch modules its TorchModule layers wrapped, passed to\n"
                   "__init__ (their code is yours: the port never writes it)" if modules else ""),
       "init": "\n".join("        " + line for line in src.init or ["pass"]),
       "body": "\n".join("        " + line for line in body), "methods": methods}
    checked_tree(source, class_name)
    return source, src.state, modules


def load_source(source, class_name="PortedModel", module_name="keras_compat_port"):
    """Run checked generated source in a fresh namespace and return the class."""
    namespace = {"__name__": module_name}
    exec(compiled(source, class_name), namespace)
    return namespace[class_name]


def to_torch(model):
    """A standalone ``nn.Module`` (eval mode) whose forward matches ``model.predict``; the
    modules of ``TorchModule`` layers travel as objects (copies: training one model does not
    train the other)."""
    source, state, modules = generate_port(model)
    module = load_source(source)(**{name: copy.deepcopy(wrapped)
                                    for name, wrapped in modules.items()})
    module.load_state_dict(state)
    module._keras_compat_source = source
    return module.eval()
