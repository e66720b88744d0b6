"""``K.*`` tensor functions over torch, with Keras 1.2.2 semantics.

Every function takes and returns torch tensors.  Called on symbolic tensors (``Input()``
results, ``layer.output``) they return lazy ``OpTensor`` expressions instead, which
``function``/``gradients`` and model losses evaluate later.  ``axis`` arguments follow
Keras (negative axes allowed); reductions take ``keepdims``.
"""
import builtins

import numpy as np
import torch
import torch.nn.functional as F

from keras_compat.backend import config
from keras_compat.backend.symbolic import OpTensor, SymbolicTensor, evaluate, symbolic_aware

__all__ = [
    "dot", "batch_dot", "transpose", "sum", "prod", "mean", "std", "var", "max", "min", "any",
    "all", "argmax", "argmin", "square", "sqrt", "exp", "log", "abs", "pow", "round", "sign",
    "clip", "maximum", "minimum", "equal", "not_equal", "greater", "greater_equal", "lesser",
    "lesser_equal", "sin", "cos", "concatenate", "reshape", "permute_dimensions", "expand_dims",
    "squeeze", "repeat", "repeat_elements", "tile", "flatten", "batch_flatten", "gather",
    "l2_normalize", "softmax", "softplus", "softsign", "relu", "elu", "sigmoid", "hard_sigmoid",
    "tanh", "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy",
    "random_normal", "random_uniform", "random_binomial", "dropout", "switch", "in_train_phase",
    "in_test_phase", "learning_phase", "set_learning_phase", "cast", "shape", "ndim", "dtype",
    "ones", "zeros", "ones_like", "zeros_like", "eye", "placeholder", "is_keras_tensor", "eval",
    "function", "gradients", "stop_gradient", "rnn", "ctc_batch_cost", "temporal_padding",
    "spatial_2d_padding", "one_hot", "cast_to_floatx", "arange", "pack", "stack", "log2",
]


def _t(x):
    if isinstance(x, torch.Tensor):
        return x
    return torch.as_tensor(np.asarray(x, dtype=config.floatx()) if not isinstance(x, np.ndarray)
                           or x.dtype == np.float64 else x)


def _axis(axis):
    if isinstance(axis, list):
        return tuple(axis)
    return axis


# -- products -------------------------------------------------------------------------------
@symbolic_aware
def dot(x, y):
    """``x . y`` contracting the last axis of x with the second-to-last of y (or y's only axis)."""
    x, y = _t(x), _t(y)
    if y.dim() == 1 or x.dim() == 1:
        return torch.matmul(x, y)
    if y.dim() == 2:
        return torch.matmul(x, y)
    return torch.tensordot(x, y, dims=([x.dim() - 1], [y.dim() - 2]))


@symbolic_aware
def batch_dot(x, y, axes=None):
    """Batchwise dot product: per sample, contract ``x`` axis ``axes[0]`` with ``y`` axis ``axes[1]``.

    A result with only the batch axis gets a trailing axis of size 1 (``(b, 1)``), as in Keras 1.
    """
    if isinstance(axes, int):
        axes = (axes, axes)
    if axes is None:
        axes = (x.dim() - 1, y.dim() - 2)
    ax, ay = axes[0] % x.dim(), axes[1] % y.dim()
    if ax == 0 or ay == 0:
        raise ValueError("batch_dot: cannot contract the batch axis (axes=%s)" % (axes,))
    if x.shape[ax] != y.shape[ay]:
        raise ValueError("batch_dot: dimension mismatch %d != %d for shapes %s and %s, axes %s"
                         % (x.shape[ax], y.shape[ay], tuple(x.shape), tuple(y.shape), axes))
    xp = x.movedim(ax, -1)
    yp = y.movedim(ay, 1)
    b, k = x.shape[0], x.shape[ax]
    x_rest, y_rest = xp.shape[1:-1], yp.shape[2:]
    out = torch.bmm(xp.reshape(b, -1, k), yp.reshape(b, k, -1)).reshape(
        (b,) + tuple(x_rest) + tuple(y_rest))
    if out.dim() == 1:
        out = out.unsqueeze(1)
    return out


@symbolic_aware
def transpose(x):
    return _t(x).permute(*reversed(range(_t(x).dim())))


# -- reductions -----------------------------------------------------------------------------
def _reduce(op):
    def reduce(x, axis=None, keepdims=False):
        x = _t(x)
        if axis is None:
            result = op(x)
            return result.reshape((1,) * x.dim()) if keepdims else result
        return op(x, dim=_axis(axis), keepdim=keepdims)
    return reduce


sum = symbolic_aware(_reduce(torch.sum))  # noqa: A001
prod = symbolic_aware(lambda x, axis=None, keepdims=False: _t(x).prod() if axis is None
                      else _t(x).prod(dim=axis, keepdim=keepdims))
mean = symbolic_aware(_reduce(torch.mean))


@symbolic_aware
def var(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        return x.var(unbiased=False)
    return x.var(dim=_axis(axis), unbiased=False, keepdim=keepdims)


@symbolic_aware
def std(x, axis=None, keepdims=False):
    return torch.sqrt(var.eager(x, axis, keepdims))


def _minmax(op):
    def reduce(x, axis=None, keepdims=False):
        x = _t(x)
        if axis is None:
            result = op(x)
            return result.reshape((1,) * x.dim()) if keepdims else result
        if isinstance(axis, (list, tuple)):
            return torch.amax(x, dim=tuple(axis), keepdim=keepdims) if op is torch.max else \
                torch.amin(x, dim=tuple(axis), keepdim=keepdims)
        return op(x, dim=axis, keepdim=keepdims).values
    return reduce


max = symbolic_aware(_minmax(torch.max))  # noqa: A001
min = symbolic_aware(_minmax(torch.min))  # noqa: A001


@symbolic_aware
def any(x, axis=None, keepdims=False):  # noqa: A001
    x = _t(x).bool()
    return x.any() if axis is None else x.any(dim=axis, keepdim=keepdims)


@symbolic_aware
def all(x, axis=None, keepdims=False):  # noqa: A001
    x = _t(x).bool()
    return x.all() if axis is None else x.all(dim=axis, keepdim=keepdims)


@symbolic_aware
def argmax(x, axis=-1):
    return torch.argmax(_t(x), dim=axis)


@symbolic_aware
def argmin(x, axis=-1):
    return torch.argmin(_t(x), dim=axis)


# -- elementwise ----------------------------------------------------------------------------
square = symbolic_aware(lambda x: torch.square(_t(x)))
exp = symbolic_aware(lambda x: torch.exp(_t(x)))
log = symbolic_aware(lambda x: torch.log(_t(x)))
log2 = symbolic_aware(lambda x: torch.log2(_t(x)))
abs = symbolic_aware(lambda x: torch.abs(_t(x)))  # noqa: A001
round = symbolic_aware(lambda x: torch.round(_t(x)))  # noqa: A001
sign = symbolic_aware(lambda x: torch.sign(_t(x)))
sin = symbolic_aware(lambda x: torch.sin(_t(x)))
cos = symbolic_aware(lambda x: torch.cos(_t(x)))
pow = symbolic_aware(lambda x, a: torch.pow(_t(x), a))  # noqa: A001
for _fn, _name in ((square, "square"), (exp, "exp"), (log, "log"), (log2, "log2"), (abs, "abs"),
                   (round, "round"), (sign, "sign"), (sin, "sin"), (cos, "cos"), (pow, "pow"),
                   (prod, "prod")):
    _fn.__name__ = _name


@symbolic_aware
def sqrt(x):
    """``sqrt(clip(x, 0, inf))``: Keras 1 clipped negatives to 0 first."""
    return torch.sqrt(torch.clamp(_t(x), min=0.))


@symbolic_aware
def clip(x, min_value, max_value):
    """Keras 1: a ``max_value`` below ``min_value`` is raised to ``min_value``."""
    if max_value is not None and max_value < min_value:
        max_value = min_value
    return torch.clamp(_t(x), min=min_value, max=max_value)


maximum = symbolic_aware(lambda x, y: torch.maximum(_t(x), _t(y)))
minimum = symbolic_aware(lambda x, y: torch.minimum(_t(x), _t(y)))
equal = symbolic_aware(lambda x, y: torch.eq(_t(x), _t(y)))
not_equal = symbolic_aware(lambda x, y: torch.ne(_t(x), _t(y)))
greater = symbolic_aware(lambda x, y: torch.gt(_t(x), _t(y)))
greater_equal = symbolic_aware(lambda x, y: torch.ge(_t(x), _t(y)))
lesser = symbolic_aware(lambda x, y: torch.lt(_t(x), _t(y)))
lesser_equal = symbolic_aware(lambda x, y: torch.le(_t(x), _t(y)))
stop_gradient = symbolic_aware(lambda x: _t(x).detach())


# -- shapes ---------------------------------------------------------------------------------
@symbolic_aware
def concatenate(tensors, axis=-1):
    return torch.cat([_t(t) for t in tensors], dim=axis)


@symbolic_aware
def pack(tensors):
    return torch.stack([_t(t) for t in tensors])


stack = pack


@symbolic_aware
def reshape(x, shape):
    return _t(x).reshape(tuple(shape))


@symbolic_aware
def permute_dimensions(x, pattern):
    return _t(x).permute(*pattern)


@symbolic_aware
def expand_dims(x, dim=-1):
    x = _t(x)
    if dim < 0:
        dim = x.dim() + dim + 1
    return x.unsqueeze(dim)


@symbolic_aware
def squeeze(x, axis):
    return _t(x).squeeze(axis)


@symbolic_aware
def repeat(x, n):
    """``(batch, dim)`` -> ``(batch, n, dim)``."""
    x = _t(x)
    if x.dim() != 2:
        raise ValueError("K.repeat expects a 2-D tensor, got shape %s" % (tuple(x.shape),))
    return x.unsqueeze(1).expand(x.shape[0], n, x.shape[1])


@symbolic_aware
def repeat_elements(x, rep, axis):
    return torch.repeat_interleave(_t(x), rep, dim=axis)


@symbolic_aware
def tile(x, n):
    x = _t(x)
    n = (n,) if isinstance(n, int) else tuple(n)
    return x.repeat(*n) if len(n) == x.dim() else x.tile(n)


@symbolic_aware
def flatten(x):
    return _t(x).reshape(-1)


@symbolic_aware
def batch_flatten(x):
    x = _t(x)
    return x.reshape(x.shape[0], -1)


@symbolic_aware
def gather(reference, indices):
    return _t(reference)[_t(indices).long()]


@symbolic_aware
def temporal_padding(x, padding=1):
    return F.pad(_t(x), (0, 0, padding, padding))


@symbolic_aware
def spatial_2d_padding(x, padding=(1, 1), dim_ordering="default"):
    if dim_ordering == "default":
        dim_ordering = config.image_dim_ordering()
    x = _t(x)
    if dim_ordering == "th":
        return F.pad(x, (padding[1], padding[1], padding[0], padding[0]))
    return F.pad(x, (0, 0, padding[1], padding[1], padding[0], padding[0]))


@symbolic_aware
def one_hot(indices, nb_classes):
    return F.one_hot(_t(indices).long(), nb_classes).float()


@symbolic_aware
def l2_normalize(x, axis):
    """``x / sqrt(max(sum(x**2, axis), 1e-12))`` (the TensorFlow-backend formula)."""
    x = _t(x)
    norm = torch.clamp(torch.sum(x * x, dim=axis, keepdim=True), min=1e-12)
    return x * torch.rsqrt(norm)


# -- activations and losses -----------------------------------------------------------------
@symbolic_aware
def softmax(x):
    return torch.softmax(_t(x), dim=-1)


softplus = symbolic_aware(lambda x: F.softplus(_t(x)))
softsign = symbolic_aware(lambda x: F.softsign(_t(x)))
sigmoid = symbolic_aware(lambda x: torch.sigmoid(_t(x)))
tanh = symbolic_aware(lambda x: torch.tanh(_t(x)))
softplus.__name__, softsign.__name__, sigmoid.__name__, tanh.__name__ = (
    "softplus", "softsign", "sigmoid", "tanh")


@symbolic_aware
def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)``."""
    return torch.clamp(0.2 * _t(x) + 0.5, 0., 1.)


@symbolic_aware
def relu(x, alpha=0., max_value=None):
    x = _t(x)
    out = F.relu(x)
    if alpha:
        out = out - alpha * F.relu(-x)
    if max_value is not None:
        out = torch.clamp(out, max=max_value)
    return out


@symbolic_aware
def elu(x, alpha=1.):
    return F.elu(_t(x), alpha=alpha)


@symbolic_aware
def categorical_crossentropy(output, target, from_logits=False):
    """Keras 1 argument order ``(output, target)``; probabilities are renormalised and clipped."""
    output, target = _t(output), _t(target)
    if from_logits:
        return -(target * torch.log_softmax(output, dim=-1)).sum(-1)
    output = output / output.sum(-1, keepdim=True)
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1. - eps)
    return -(target * torch.log(output)).sum(-1)


@symbolic_aware
def sparse_categorical_crossentropy(output, target, from_logits=False):
    output = _t(output)
    classes = _t(target).long().reshape(output.shape[:-1])
    onehot = F.one_hot(classes, output.shape[-1]).to(output.dtype)
    return categorical_crossentropy.eager(output, onehot, from_logits)


@symbolic_aware
def binary_crossentropy(output, target, from_logits=False):
    """Elementwise; probabilities are clipped to ``[eps, 1 - eps]`` first."""
    output, target = _t(output), _t(target)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1. - eps)
    return -(target * torch.log(output) + (1. - target) * torch.log(1. - output))


# -- random ---------------------------------------------------------------------------------
def _generator(seed):
    if seed is None:
        return None
    return torch.Generator().manual_seed(int(seed))


def random_normal(shape, mean=0.0, std=1.0, dtype=None, seed=None):
    out = torch.empty(tuple(shape), dtype=getattr(torch, dtype or config.floatx()))
    return out.normal_(mean, std, generator=_generator(seed))


def random_uniform(shape, low=0.0, high=1.0, dtype=None, seed=None):
    out = torch.empty(tuple(shape), dtype=getattr(torch, dtype or config.floatx()))
    return out.uniform_(low, high, generator=_generator(seed))


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    return (random_uniform(shape, 0., 1., dtype, seed) < p).to(
        getattr(torch, dtype or config.floatx()))


@symbolic_aware
def dropout(x, level, noise_shape=None, seed=None):
    """Inverted dropout: keep with probability ``1 - level`` and scale by ``1 / (1 - level)``."""
    x = _t(x)
    if level < 0. or level >= 1:
        raise ValueError("Dropout level must be in interval [0, 1[, got %r" % (level,))
    shape = tuple(noise_shape) if noise_shape is not None else tuple(x.shape)
    keep = random_binomial(shape, 1. - level, seed=seed).to(x.device)
    return x * keep / (1. - level)


# -- learning phase -------------------------------------------------------------------------
class _LearningPhase(SymbolicTensor):
    """``K.learning_phase()``: 1 in training, 0 in test; feed it to ``K.function`` as in Keras."""

    def __init__(self):
        self._keras_shape = ()
        self._keras_history = None
        self.dtype = "uint8"
        self.has_mask = False
        self.name = "keras_learning_phase"


_LEARNING_PHASE = _LearningPhase()
_PHASE = {"value": None}


def learning_phase():
    """The learning-phase flag.  Unless set (``set_learning_phase`` or fed to a K.function), the
    phase is training exactly when autograd is recording (fit), test otherwise."""
    return _LEARNING_PHASE


def set_learning_phase(value):
    if value not in (0, 1, None):
        raise ValueError("Expected learning phase to be 0 or 1.")
    _PHASE["value"] = value


def _in_training():
    value = _PHASE["value"]
    if value is None:
        return torch.is_grad_enabled()
    return bool(value)


def in_train_phase(x, alt):
    """``x`` in the training phase, ``alt`` in the test phase (callables are called)."""
    chosen = x if _in_training() else alt
    return chosen() if callable(chosen) else chosen


def in_test_phase(x, alt):
    chosen = alt if _in_training() else x
    return chosen() if callable(chosen) else chosen


@symbolic_aware
def switch(condition, then_expression, else_expression):
    """Elementwise or scalar choice between two tensors."""
    condition = _t(condition)
    if condition.dim() == 0:
        chosen = then_expression if bool(condition) else else_expression
        return chosen() if callable(chosen) else chosen
    return torch.where(condition.bool(), _t(then_expression), _t(else_expression))


# -- tensors and variables ------------------------------------------------------------------
def _dtype(dtype):
    return getattr(torch, dtype or config.floatx())


@symbolic_aware
def cast(x, dtype):
    return _t(x).to(_dtype(dtype))


def cast_to_floatx(x):
    return np.asarray(x, dtype=config.floatx())


def shape(x):
    """The shape of ``x`` as an int64 tensor (Keras-1 symbolic shape)."""
    if isinstance(x, SymbolicTensor):
        return x._keras_shape
    return torch.tensor(tuple(_t(x).shape), dtype=torch.int64)


def ndim(x):
    if isinstance(x, SymbolicTensor):
        return len(x._keras_shape)
    return _t(x).dim()


def dtype(x):
    if isinstance(x, SymbolicTensor):
        return x.dtype
    return str(_t(x).dtype).replace("torch.", "")


def _variable(array, name=None):
    from keras_compat.backend import variable
    return variable(array, name=name)


def ones(shape, dtype=None, name=None):
    return _variable(np.ones(shape, dtype=dtype or config.floatx()), name)


def zeros(shape, dtype=None, name=None):
    return _variable(np.zeros(shape, dtype=dtype or config.floatx()), name)


def eye(size, dtype=None, name=None):
    return _variable(np.eye(size, dtype=dtype or config.floatx()), name)


@symbolic_aware
def ones_like(x, dtype=None, name=None):
    return torch.ones_like(_t(x), dtype=_dtype(dtype) if dtype else None)


@symbolic_aware
def zeros_like(x, dtype=None, name=None):
    return torch.zeros_like(_t(x), dtype=_dtype(dtype) if dtype else None)


def arange(start, stop=None, step=1, dtype="int32"):
    if stop is None:
        start, stop = 0, start
    return torch.arange(start, stop, step, dtype=_dtype(dtype))


class _Placeholder(SymbolicTensor):
    def __init__(self, shape, dtype, name):
        self._keras_shape = tuple(shape)
        self._keras_history = None
        self.dtype = dtype
        self.has_mask = False
        self.name = name or "placeholder"


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """A symbolic input for ``K.function`` (``ndim`` gives an all-``None`` shape)."""
    if shape is None:
        if ndim is None:
            raise ValueError("K.placeholder needs a shape or an ndim")
        shape = (None,) * ndim
    return _Placeholder(shape, dtype or config.floatx(), name)


def is_keras_tensor(x):
    return isinstance(x, SymbolicTensor) and x._keras_history is not None


def eval(x):  # noqa: A001
    """NumPy value of a tensor or variable."""
    if isinstance(x, SymbolicTensor):
        raise ValueError("K.eval: %s is symbolic; use K.function([inputs], [it]) to compute it"
                         % x.name)
    return _t(x).detach().cpu().numpy()


# -- functions and gradients ----------------------------------------------------------------
class _Gradients(OpTensor):
    """``d loss / d variable`` as a lazy expression (evaluated by ``K.function``)."""

    def __init__(self, loss, variable, index):
        super().__init__(None, (), name="gradient_%d" % index)
        self.loss = loss
        self.variable = variable

    def compute(self, value_of):
        loss = value_of(self.loss)
        target = value_of(self.variable) if isinstance(self.variable, SymbolicTensor) \
            else self.variable
        if not loss.requires_grad:
            return torch.zeros_like(target)
        grad, = torch.autograd.grad(loss.sum() if loss.dim() else loss, [target],
                                    allow_unused=True, retain_graph=True)
        return torch.zeros_like(target) if grad is None else grad


def gradients(loss, variables):
    """``K.gradients(loss, variables)``: a list of gradient tensors.

    With a symbolic ``loss`` (built from model tensors) the result is symbolic and computed by
    ``K.function``; with concrete tensors it is computed right away by autograd.
    """
    single = not isinstance(variables, (list, tuple))
    variables = [variables] if single else list(variables)
    if isinstance(loss, SymbolicTensor):
        return [_Gradients(loss, v, i) for i, v in enumerate(variables)]
    grads = torch.autograd.grad(loss, variables, allow_unused=True, retain_graph=True)
    return [torch.zeros_like(v) if g is None else g for v, g in zip(variables, grads)]


class Function:
    """``K.function(inputs, outputs, updates=[])``: call it with a list of arrays."""

    def __init__(self, inputs, outputs, updates=None, **kwargs):
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.updates = list(updates or [])
        for tensor in self.inputs:
            if not isinstance(tensor, SymbolicTensor):
                raise TypeError("K.function: inputs must be symbolic tensors (Input(), model.input, "
                                "K.placeholder(), K.learning_phase()); got %r" % (tensor,))
        self._needs_grad = _has_gradients(self.outputs)

    def __call__(self, values):
        values = list(values)
        if len(values) != len(self.inputs):
            raise ValueError("K.function expects %d input values, got %d"
                             % (len(self.inputs), len(values)))
        feed = {}
        phase = None
        for tensor, value in zip(self.inputs, values):
            if tensor is _LEARNING_PHASE:
                phase = int(np.asarray(value))
                continue
            value = torch.as_tensor(np.asarray(value) if not isinstance(value, torch.Tensor)
                                    else value)
            if value.dtype == torch.float64:
                value = value.float()
            if self._needs_grad and value.is_floating_point():
                value = value.clone().requires_grad_(True)
            feed[tensor] = value
        previous = _PHASE["value"]
        _PHASE["value"] = phase if phase is not None else (previous or 0)
        try:
            with torch.set_grad_enabled(self._needs_grad or bool(self.updates)):
                results = self._run(feed)
        finally:
            _PHASE["value"] = previous
        return [r.detach().cpu().numpy() if isinstance(r, torch.Tensor) else np.asarray(r)
                for r in results]

    def _run(self, feed):
        phase = _PHASE["value"]
        results = evaluate(self.outputs, feed, training=None if phase is None else bool(phase))
        with torch.no_grad():
            for variable, new_value in self.updates:
                value = evaluate([new_value], feed)[0] if isinstance(new_value, SymbolicTensor) \
                    else new_value
                variable.copy_(_t(value))
        return results


def _has_gradients(tensors, seen=None):
    seen = set() if seen is None else seen
    for t in tensors:
        if isinstance(t, (list, tuple)):
            if _has_gradients(t, seen):
                return True
            continue
        if not isinstance(t, OpTensor) or id(t) in seen:
            continue
        seen.add(id(t))
        if isinstance(t, _Gradients):
            return True
        if _has_gradients(list(t.args) + list(t.kwargs.values()), seen):
            return True
    return False


def function(inputs, outputs, updates=None, **kwargs):
    return Function(inputs, outputs, updates=updates, **kwargs)


# -- recurrence and CTC ---------------------------------------------------------------------
def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None):
    """Iterate ``step_function(x_t, states + constants) -> (output_t, new_states)`` over time.

    Returns ``(last_output, outputs (batch, time, ...), new_states)``.  Masked timesteps
    (``mask[:, t] == 0``) keep the previous output and states, as in Keras 1.
    """
    inputs = _t(inputs)
    constants = list(constants or [])
    states = list(initial_states)
    steps = range(inputs.shape[1] - 1, -1, -1) if go_backwards else range(inputs.shape[1])
    outputs = []
    last_output = None
    for t in steps:
        output, new_states = step_function(inputs[:, t], states + constants)
        if mask is not None:
            keep = mask[:, t].to(output.dtype).unsqueeze(-1)
            if last_output is None:
                last_output = torch.zeros_like(output)
            output = keep * output + (1 - keep) * last_output
            new_states = [keep * n + (1 - keep) * s for n, s in zip(new_states, states)]
        outputs.append(output)
        last_output = output
        states = list(new_states)
    return last_output, torch.stack(outputs, dim=1), states


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """CTC loss per sample, ``(batch, 1)``: ``y_pred`` softmax outputs ``(batch, time, classes)``
    whose LAST class is the blank (TensorFlow convention Keras 1 used)."""
    y_pred, y_true = _t(y_pred), _t(y_true)
    input_length = _t(input_length).reshape(-1).long()
    label_length = _t(label_length).reshape(-1).long()
    eps = config.epsilon()
    log_probs = torch.log(y_pred.clamp(min=eps)).permute(1, 0, 2)
    blank = y_pred.shape[-1] - 1
    loss = F.ctc_loss(log_probs, y_true.long(), input_length, label_length, blank=blank,
                      reduction="none", zero_infinity=True)
    return loss.unsqueeze(1)
