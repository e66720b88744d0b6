"""The pieces a translator writes into: the module's ``__init__``/state and one layer call.

A translator receives a :class:`LayerCall` and returns the lines of ``forward`` that compute
the layer: single-input layers read and write the local ``x``; layers with several inputs read
``call.inputs`` (names of locals) and write ``x``. Parameters and buffers go to
``call.src`` (a :class:`ModuleSource`), in torch layouts.
"""
import keyword

from keras_compat import activations as activations_module


class PortError(ValueError):
    """A layer of the model has no plain-PyTorch translation."""


# Locals the translators use for their own steps: tensor names must not collide with them.
RESERVED_LOCALS = frozenset({
    "self", "torch", "nn", "F", "x", "xs", "xp", "h", "c", "z", "zr", "hh", "i", "f", "o", "r",
    "t", "u", "m", "h_new", "c_new", "out", "outputs", "norms", "td_shape", "seq_in", "fwd",
    "shape", "scale", "keep", "forward", "backward", "candidate",
    "reset_states", "training", "float", "range", "reversed", "len", "tuple", "list", "max",
    "min", "sum", "abs", "int"})

_ACTIVATION_CODE = {
    "linear": "{x}",
    "relu": "torch.relu({x})",
    "tanh": "torch.tanh({x})",
    "sigmoid": "torch.sigmoid({x})",
    "hard_sigmoid": "torch.clamp({x} * 0.2 + 0.5, 0.0, 1.0)",
    "softmax": "torch.softmax({x}, dim=-1)",
    "softplus": "F.softplus({x})",
    "softsign": "{x} / (torch.abs({x}) + 1.0)",
    "elu": "F.elu({x})",
}


def identifier(name, taken, reserved=frozenset()):
    """A fresh Python identifier made from a Keras layer name (free text read from a file).

    Only ASCII letters, digits and ``_`` survive (Python folds non-ASCII identifiers with
    NFKC, so two different names could become one variable); a leading ``_`` or digit gets a
    ``layer_`` prefix (``__x`` would be name-mangled inside the class, ``__class__`` would
    replace the module's class); the result is unique within ``taken``.
    """
    var = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_"
                  for ch in str(name))
    if not var or var[0].isdigit() or var[0] == "_":
        var = "layer_" + var
    while var in taken or var in reserved or keyword.iskeyword(var):
        var += "_"
    taken.add(var)
    return var


def comment_text(text):
    """``text`` (free text from a model file) made safe inside a ``#`` comment or a docstring.

    Line breaks, control and non-ASCII characters become their backslash escapes and ``"``
    becomes ``\\x22``, so the text can neither end the comment's line nor close the
    docstring; every backslash left is one half of a valid escape.
    """
    out = []
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append("\\x22")
        elif ch.isascii() and ch.isprintable():
            out.append(ch)
        else:
            out.append(ascii(ch)[1:-1])
    return "".join(out)


# The globals a generated ``__init__`` reads: no attribute takes their names, so an attribute
# name can also be an ``__init__`` argument (``module_argument``) without hiding one.
_INIT_GLOBALS = frozenset({"self", "super", "torch", "nn", "F"})


def _module_attributes():
    """Every attribute an ``nn.Module`` has: a layer named ``eval`` must not replace it."""
    import torch
    return frozenset(dir(torch.nn.Module))


class ModuleSource:
    """The generated class's ``__init__`` lines, its ``state_dict`` and its state buffers."""

    def __init__(self):
        self.init = []
        self.state = {}
        self.state_buffers = []  # stateful RNN states: zeroed by the generated reset_states()
        self.module_arguments = {}  # __init__ argument -> torch module it takes (TorchModule)
        self._declared = set()
        self._attribute_names = {}
        self._taken = set()

    def attribute_name(self, layer):
        """``self.<name>`` prefix of a layer's modules and parameters (one per layer object)."""
        if id(layer) not in self._attribute_names:
            self._attribute_names[id(layer)] = identifier(
                layer.name, self._taken, _module_attributes() | _INIT_GLOBALS
                | {"training", "reset_states"})
        return self._attribute_names[id(layer)]

    def declare(self, line):
        """An ``__init__`` line; a shared layer's second call declares nothing new."""
        if line not in self._declared:
            self._declared.add(line)
            self.init.append(line)

    def param(self, name, tensor):
        self.state[name] = tensor.detach().cpu().clone().contiguous()

    def parameter(self, name, tensor):
        """A bare ``nn.Parameter`` attribute holding ``tensor``."""
        self.declare("self.%s = nn.Parameter(torch.empty(%s))" % (name, _dims(tensor.shape)))
        self.param(name, tensor)

    def module_argument(self, name, module):
        """``self.<name>``: a torch module the generated class takes as an ``__init__``
        argument of the same name (a module is code: the port never writes its source).
        Its ``state_dict`` joins the port's under ``<name>.``."""
        if name not in self.module_arguments:
            self.module_arguments[name] = module
            self.declare("self.%s = %s" % (name, name))
            for key, tensor in module.state_dict().items():
                self.param("%s.%s" % (name, key), tensor)
        return name

    def buffer(self, name, tensor, state=False):
        """A registered buffer; ``state=True`` marks a recurrent state reset_states() zeroes."""
        self.declare("self.register_buffer(%r, torch.zeros(%s))" % (name, _dims(tensor.shape)))
        self.param(name, tensor)
        if state and name not in self.state_buffers:
            self.state_buffers.append(name)


def _is_atom(expr):
    """True when ``expr`` has no operator outside brackets (``z[:, :5]``, ``f(a + b)``)."""
    depth = 0
    for ch in expr:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == " " and depth == 0:
            return False
    return True


def _dims(shape):
    return ", ".join(str(int(d)) for d in shape) if len(shape) else "()"


class LayerCall:
    """One call of a Keras layer in the generated ``forward``.

    ``var`` names the layer's attributes (``self.<var>``); ``inputs`` are the locals holding
    the inputs of a multi-input call; ``mask`` is the local holding the input mask (boolean
    ``(batch, timesteps)``) or None. A translator that creates a mask assigns it to the local
    ``mask_name`` and sets ``out_mask = mask_name``; otherwise the input mask flows on when
    the layer passes masks.
    """

    def __init__(self, src, layer, inputs=None, mask=None, mask_name=None, input_shape=None,
                 input_masks=None):
        self.src = src
        self.var = src.attribute_name(layer)
        self.layer = layer
        self.inputs = inputs or []
        self.input_masks = input_masks or []
        self.mask = mask
        self.mask_name = mask_name
        self.out_mask = None
        self._input_shape = input_shape

    @property
    def input_shape(self):
        return self._input_shape if self._input_shape is not None else self.layer.input_shape

    @property
    def kind(self):
        """The layer's own class name, for messages (translators dispatch on classes)."""
        return type(self.layer).__name__

    def fail(self, why):
        raise PortError("to_torch: layer %s (%s) %s" % (self.layer.name, self.kind, why))

    def activation_expr(self, fn, expr):
        """``fn`` (a Keras-1 activation) applied to the expression ``expr``, as source."""
        name = getattr(fn, "__name__", None)
        if name not in _ACTIVATION_CODE or getattr(activations_module, name, None) is not fn:
            self.fail("uses the activation %r, which has no plain-PyTorch translation here; "
                      "replace it with a built-in activation or port that layer by hand"
                      % (name or fn))
        if name == "linear":
            return expr
        if not _is_atom(expr):
            expr = "(%s)" % expr  # an operand of * and / in the templates
        return _ACTIVATION_CODE[name].format(x=expr)

    def activation(self, fn):
        """Lines applying ``fn`` to ``x`` (none for ``linear``)."""
        code = self.activation_expr(fn, "x")
        return [] if code == "x" else ["x = %s" % code]

    def sub_call(self, layer, input_shape):
        """A call of a wrapped layer (TimeDistributed, Bidirectional) on the same input."""
        return LayerCall(self.src, layer, mask=self.mask, mask_name=self.mask_name,
                         input_shape=input_shape)
