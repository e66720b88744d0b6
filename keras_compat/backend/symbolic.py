"""Symbolic tensors of the functional API and lazy ``K.*`` expressions over them.

A ``SymbolicTensor`` has a shape and a history (the layer call that produces it) but no
data; ``K.*`` functions and arithmetic on symbolic tensors build ``OpTensor`` expressions,
evaluated by ``evaluate`` (used by ``K.function``, ``K.gradients`` and losses that close
over layer outputs).  Lives in ``backend`` so that ``K`` needs nothing above it.
"""
import functools

import torch  # noqa: F401


class SymbolicTensor:
    """A placeholder for a batch flowing through the graph: shape known, no data.

    ``_keras_shape`` / ``shape`` is the Keras-1 shape (batch axis first, ``None`` where
    unknown); ``_keras_history`` is ``(layer, node_index, tensor_index)``.
    """

    def __init__(self, shape, layer, node_index, tensor_index, dtype="float32", has_mask=False,
                 name=None):
        self._keras_shape = tuple(shape)
        self._keras_history = (layer, node_index, tensor_index)
        self.dtype = dtype
        self.has_mask = bool(has_mask)
        self.name = name or "%s_%s:%d" % (layer.name, node_index, tensor_index)

    @property
    def shape(self):
        return self._keras_shape

    @property
    def ndim(self):
        return len(self._keras_shape)

    def get_shape(self):
        return self._keras_shape

    def __repr__(self):
        return "<SymbolicTensor %s shape=%s>" % (self.name, self._keras_shape)

    def __bool__(self):
        raise TypeError("A SymbolicTensor (%s) has no value: it is a placeholder of the functional "
                        "API; run data through a Model built from it instead." % self.name)

    # Arithmetic builds a lazy expression (``OpTensor``) evaluated by K.function, K.gradients
    # or a loss that closes over layer outputs.
    def __add__(self, other):
        return OpTensor(lambda a, b: a + b, (self, other))

    def __radd__(self, other):
        return OpTensor(lambda a, b: a + b, (other, self))

    def __sub__(self, other):
        return OpTensor(lambda a, b: a - b, (self, other))

    def __rsub__(self, other):
        return OpTensor(lambda a, b: a - b, (other, self))

    def __mul__(self, other):
        return OpTensor(lambda a, b: a * b, (self, other))

    def __rmul__(self, other):
        return OpTensor(lambda a, b: a * b, (other, self))

    def __truediv__(self, other):
        return OpTensor(lambda a, b: a / b, (self, other))

    def __rtruediv__(self, other):
        return OpTensor(lambda a, b: a / b, (other, self))

    def __pow__(self, other):
        return OpTensor(lambda a, b: a ** b, (self, other))

    def __neg__(self):
        return OpTensor(lambda a: -a, (self,))

    def __getitem__(self, index):
        return OpTensor(lambda a: a[index], (self,))

    __hash__ = object.__hash__


class OpTensor(SymbolicTensor):
    """A lazy expression over symbolic tensors: ``fn(*args, **kwargs)`` once they have values."""

    def __init__(self, fn, args, kwargs=None, name=None):
        self.fn = fn
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self._keras_shape = None
        self._keras_history = None
        self.dtype = "float32"
        self.has_mask = False
        self.name = name or "op_%s" % getattr(fn, "__name__", "expr")

    @property
    def ndim(self):
        return None


def _contains_symbolic(value):
    if isinstance(value, SymbolicTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(isinstance(v, SymbolicTensor) for v in value)
    return False


def symbolic_aware(fn):
    """Decorate a ``K.*`` function: called with any symbolic argument it returns an OpTensor."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for value in args:
            if _contains_symbolic(value):
                return OpTensor(fn, args, kwargs)
        for value in kwargs.values():
            if _contains_symbolic(value):
                return OpTensor(fn, args, kwargs)
        return fn(*args, **kwargs)

    wrapper.eager = fn
    return wrapper


def evaluate(tensors, feed, lookup=None, training=None):
    """Values of symbolic ``tensors`` given ``feed`` ({SymbolicTensor: torch value}).

    Layer tensors not fed are computed by replaying their nodes; ``lookup(tensor)`` may supply
    values already computed by a model's forward pass (raising KeyError when it has none).
    ``training`` (True/False) runs the replayed layers in that torch mode, as the learning
    phase fed to ``K.function`` asks (Dropout reads ``module.training``); None keeps theirs.
    """
    cache = {id(t): v for t, v in feed.items()}
    masks = {}

    def value_of(t):
        if isinstance(t, (list, tuple)):
            return type(t)(value_of(v) for v in t)
        if not isinstance(t, SymbolicTensor):
            return t
        key = id(t)
        if key in cache:
            return cache[key]
        if lookup is not None:
            try:
                cache[key] = lookup(t)
                return cache[key]
            except KeyError:
                pass
        if isinstance(t, OpTensor):
            if t.fn is None:  # e.g. a gradient: computed from other values by the tensor itself
                cache[key] = t.compute(value_of)
                return cache[key]
            args = [value_of(a) for a in t.args]
            kwargs = {k: value_of(v) for k, v in t.kwargs.items()}
            result = t.fn(*args, **kwargs)
            cache[key] = result
            return result
        layer, node_index, tensor_index = t._keras_history
        node = layer._inbound_nodes[node_index]
        if not node.input_tensors:
            raise ValueError("No value was given for the input tensor %s (layer %s): pass it in the "
                             "inputs of K.function / the model" % (t.name, layer.name))
        inputs = [value_of(i) for i in node.input_tensors]
        in_masks = [masks.get(id(i)) for i in node.input_tensors]
        multi = len(inputs) > 1
        x = inputs if multi else inputs[0]
        m = (in_masks if multi else in_masks[0]) if any(v is not None for v in in_masks) else None
        previous_mode = layer.training
        if training is not None and previous_mode != training:
            layer.train(training)
        try:
            out = layer._wrapped_call_impl(x) if m is None else layer._wrapped_call_impl(x, m)
        finally:
            if layer.training != previous_mode:
                layer.train(previous_mode)
        if any(o.has_mask for o in node.output_tensors):
            out_mask = layer.compute_mask(x, m)
            for o in node.output_tensors:
                masks[id(o)] = out_mask
        outs = out if isinstance(out, (list, tuple)) else [out]
        for o, v in zip(node.output_tensors, outs):
            cache[id(o)] = v
        return cache[key]

    return [value_of(t) for t in tensors]


def is_symbolic(x):
    if isinstance(x, SymbolicTensor):
        return True
    if isinstance(x, (list, tuple)) and x and all(isinstance(t, SymbolicTensor) for t in x):
        return True
    return False


