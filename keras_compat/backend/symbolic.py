"""Symbolic tensors of the functional API and lazy ``K.*`` expressions over them.

A ``SymbolicTensor`` has a shape and a history (the layer call that produces it) but no
data; ``K.*`` functions and arithmetic on symbolic tensors build ``OpTensor`` expressions,
evaluated by ``evaluate`` (used by ``K.function``, ``K.gradients`` and losses that close
over layer outputs).  Lives in ``backend`` so that ``K`` needs nothing above it.
"""
import functools

import torch

# Two stand-in sizes for unknown (``None``) axes when an expression's shape is inferred on
# torch's "meta" device: an output axis that differs between the two runs is unknown too.
_UNKNOWN_SIZES = (13, 17)


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

    @property
    def _uses_learning_phase(self):
        """Keras 1's flag: the value depends on the learning phase (a Dropout, or any layer
        whose ``uses_learning_phase`` is true, upstream).  Worked out from the graph, in one
        walk over the upstream nodes; ``K.in_train_phase``-style code may set it."""
        override = self.__dict__.get("_learning_phase_flag")
        if override is not None:
            return override
        pending, seen = [self], set()
        while pending:
            tensor = pending.pop()
            if id(tensor) in seen:
                continue
            seen.add(id(tensor))
            if tensor is not self and tensor.__dict__.get("_learning_phase_flag"):
                return True
            if isinstance(tensor, OpTensor):
                pending.extend(a for a in tensor.args if isinstance(a, SymbolicTensor))
                continue
            if tensor._keras_history is None:
                continue
            layer, node_index, _ = tensor._keras_history
            if getattr(layer, "uses_learning_phase", False):
                return True
            node = layer._inbound_nodes[node_index]
            if not node.is_source:
                pending.extend(node.input_tensors)
        return False

    @_uses_learning_phase.setter
    def _uses_learning_phase(self, value):
        self._learning_phase_flag = bool(value)

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

    def __pos__(self):
        return self

    def __abs__(self):
        return OpTensor(torch.abs, (self,))

    def __rpow__(self, other):
        return OpTensor(lambda a, b: a ** b, (other, self))

    def __mod__(self, other):
        return OpTensor(lambda a, b: a % b, (self, other))

    def __floordiv__(self, other):
        return OpTensor(lambda a, b: a // b, (self, other))

    def __matmul__(self, other):
        return OpTensor(lambda a, b: a @ b, (self, other))

    def __rmatmul__(self, other):
        return OpTensor(lambda a, b: a @ b, (other, self))

    # Ordering comparisons are elementwise as on Theano/TensorFlow tensors; ``==`` stays
    # identity (tensors are dictionary keys), use K.equal for the elementwise test.
    def __lt__(self, other):
        return OpTensor(lambda a, b: a < b, (self, other))

    def __le__(self, other):
        return OpTensor(lambda a, b: a <= b, (self, other))

    def __gt__(self, other):
        return OpTensor(lambda a, b: a > b, (self, other))

    def __ge__(self, other):
        return OpTensor(lambda a, b: a >= b, (self, other))

    def __getitem__(self, index):
        return OpTensor(lambda a: a[index], (self,))

    def __iter__(self):
        # Without this, Python would iterate through __getitem__ forever (indexing is lazy).
        raise TypeError("%s is symbolic and cannot be iterated; index it (x[0]) or use K ops"
                        % (self.name,))

    __hash__ = object.__hash__
    __eq__ = object.__eq__

    def dim(self):
        """The rank, so that rank checks in torch-written code work before any data flows."""
        return self.ndim

    def __getattr__(self, name):
        # torch.Tensor's methods (``x.sum(-1)``, ``x.permute(0, 2, 1)``) build expressions too,
        # so code written for torch tensors (activations, layer bodies) runs symbolically.
        if name.startswith("_"):
            raise AttributeError(name)
        method = getattr(torch.Tensor, name, None)
        if not callable(method):
            raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))

        def build(*args, **kwargs):
            return OpTensor(method, (self,) + args, kwargs, name=name)
        return build

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        """Any torch function given a symbolic argument (``torch.exp(x)``, ``tensor + x``)
        becomes a lazy expression, so K ops and plain torch code compose the same way."""
        return OpTensor(func, args, kwargs)

    def unfed_value(self):
        """The value of this tensor when a K.function was not given one."""
        raise ValueError("No value was given for the input tensor %s: pass it in the inputs of "
                         "K.function / the model" % (self.name,))


class OpTensor(SymbolicTensor):
    """A lazy expression over symbolic tensors: ``fn(*args, **kwargs)`` once they have values."""

    def __init__(self, fn, args, kwargs=None, name=None):
        self.fn = fn
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self._inferred = None
        self._keras_history = None
        self.has_mask = False
        self.name = name or "op_%s" % getattr(fn, "__name__", "expr")

    def _infer(self):
        """``(shape, dtype)`` of the expression, worked out on torch's data-less "meta" device
        (``(None, 'float32')`` when an operation there cannot run)."""
        if self._inferred is None:
            self._inferred = _infer_shape_and_dtype(self)
        return self._inferred

    @property
    def _keras_shape(self):
        return self._infer()[0]

    @_keras_shape.setter
    def _keras_shape(self, value):
        self._inferred = (None if value is None else tuple(value), self.dtype)

    @property
    def dtype(self):
        return self._infer()[1]

    @property
    def ndim(self):
        shape = self._keras_shape
        return None if shape is None else len(shape)


def _contains_symbolic(value):
    if isinstance(value, SymbolicTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_symbolic(v) for v in value.values())
    return False


def _meta_value(t, size, cache):
    """A meta-device stand-in for ``t`` whose unknown axes have length ``size``."""
    if isinstance(t, (list, tuple)):
        return type(t)(_meta_value(v, size, cache) for v in t)
    if isinstance(t, dict):
        return {k: _meta_value(v, size, cache) for k, v in t.items()}
    if isinstance(t, torch.Tensor):
        return t.detach().to("meta")
    if not isinstance(t, SymbolicTensor):
        return t
    if id(t) in cache:
        return cache[id(t)]
    if isinstance(t, OpTensor):
        if t.fn is None:
            value = t.meta_value(lambda v: _meta_value(v, size, cache))
        else:
            value = t.fn(*_meta_value(t.args, size, cache), **_meta_value(t.kwargs, size, cache))
    else:
        shape = t._keras_shape
        if shape is None:
            raise ValueError("unknown shape")
        dtype = getattr(torch, str(t.dtype), None)
        if not isinstance(dtype, torch.dtype):
            dtype = torch.float32
        value = torch.empty(tuple(size if d is None else int(d) for d in shape),
                            dtype=dtype, device="meta")
    cache[id(t)] = value
    return value


def _infer_shape_and_dtype(t):
    runs = []
    for size in _UNKNOWN_SIZES:
        try:
            runs.append(_meta_value(t, size, {}))
        except Exception:  # no meta kernel, data-dependent, or the stand-in size clashed
            break
    else:
        first, second = runs
        if not (isinstance(first, torch.Tensor) and isinstance(second, torch.Tensor)):
            return None, "float32"
        dtype = _dtype_name(first)
        if first.dim() != second.dim():
            return None, dtype
        return tuple(a if a == b else None for a, b in zip(first.shape, second.shape)), dtype
    # An unknown axis meeting a known one (``(None, 3) + (2, 3)``): unknown axes of length 1
    # broadcast to the known length; axes of length 1 in the result stay unknown.
    try:
        value = _meta_value(t, 1, {})
    except Exception:
        return None, "float32"
    if not isinstance(value, torch.Tensor):
        return None, "float32"
    return tuple(None if d == 1 else d for d in value.shape), _dtype_name(value)


def _dtype_name(value):
    return str(value.dtype).replace("torch.", "")


# Attribute of a tensor computed eagerly from Keras variables: ``(fn, args, kwargs)`` to compute
# it again.  Keras 1's expressions over variables were graphs re-run by every K.function call
# and K.eval, so an update ``(x, x * 2)`` doubled ``x`` on each run; the recipe lets evaluate()
# do the same with the variables' current values.
RECIPE = "_keras_recipe"


def depends_on_variables(value):
    if isinstance(value, torch.Tensor):
        return getattr(value, "_keras_variable", False) or hasattr(value, RECIPE)
    if isinstance(value, (list, tuple)):
        return any(depends_on_variables(v) for v in value)
    return False


def remember_recipe(result, fn, args, kwargs):
    """Attach ``(fn, args, kwargs)`` to ``result`` when it was computed from Keras variables;
    the result's own arithmetic then records too (``K.square(x) + 1``)."""
    if any(result is a for a in args) or any(result is v for v in kwargs.values()):
        return result  # handed one of its arguments back (a scalar K.switch): keep its recipe
    if isinstance(result, torch.Tensor) and not isinstance(result, torch.nn.Parameter) and (
            depends_on_variables(args) or depends_on_variables(list(kwargs.values()))):
        if type(result) is torch.Tensor:
            result = result.as_subclass(RecordedTensor)
        setattr(result, RECIPE, (fn, args, kwargs))
    return result


def recording(name):
    """``torch.Tensor``'s operator ``name``, remembering its recipe on the result."""
    method = getattr(torch.Tensor, name)

    def operator(self, *args):
        return remember_recipe(method(self, *args), method, (self,) + args, {})
    operator.__name__ = name
    return operator


RECORDING_OPERATORS = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
                       "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__neg__",
                       "__matmul__", "__rmatmul__", "__getitem__", "__lt__", "__le__", "__gt__",
                       "__ge__")


class RecordedTensor(torch.Tensor):
    """A tensor computed from Keras variables, with its recipe.  torch functions give plain
    tensors back (no subclass propagation); only its arithmetic operators and K functions
    record further."""

    __torch_function__ = torch._C._disabled_torch_function_impl


for _name in RECORDING_OPERATORS:
    setattr(RecordedTensor, _name, recording(_name))


def symbolic_aware(fn=None, structure=None):
    """Decorate a ``K.*`` function: called with any symbolic argument it returns an OpTensor.

    ``structure(args, kwargs, whole)``, for functions returning several tensors, splits the
    one lazy result ``whole`` into the same structure of lazy parts (``whole[0]``, ...), so
    that ``normed, mean, var = K.normalize_batch_in_training(placeholder, ...)`` unpacks.
    """
    if fn is None:
        return functools.partial(symbolic_aware, structure=structure)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _contains_symbolic(args) or _contains_symbolic(kwargs):
            whole = OpTensor(fn, args, kwargs)
            return whole if structure is None else structure(args, kwargs, whole)
        try:
            return remember_recipe(fn(*args, **kwargs), fn, args, kwargs)
        except torch.OutOfMemoryError:
            raise
        except RuntimeError as error:
            # torch's shape and dtype complaints, named after the K function that met them.
            raise ValueError("K.%s: %s" % (fn.__name__, error)) from error

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
            recipe = getattr(t, RECIPE, None) if isinstance(t, torch.Tensor) else None
            if recipe is None:
                return t
            # Computed eagerly from variables: recomputed from their current values.
            if id(t) not in cache:
                fn, args, kwargs = recipe
                cache[id(t)] = fn(*[value_of(a) for a in args],
                                  **{k: value_of(v) for k, v in kwargs.items()})
            return cache[id(t)]
        key = id(t)
        if key in cache:
            return cache[key]
        if lookup is not None:
            try:
                cache[key] = lookup(t)
                return cache[key]
            except KeyError:
                pass
        if t._keras_history is None and not isinstance(t, OpTensor):
            cache[key] = t.unfed_value()  # a placeholder or the learning phase
            return cache[key]
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
        if node.is_source:
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


