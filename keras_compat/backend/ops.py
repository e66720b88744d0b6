"""``K.*`` tensor functions over torch, with Keras 1.2.2 semantics.

Every function takes and returns torch tensors.  Called on symbolic tensors (``Input()``
results, ``layer.output``) they return lazy ``OpTensor`` expressions instead, which
``function``/``gradients`` and model losses evaluate later.  ``axis`` arguments follow
Keras (negative axes allowed); reductions take ``keepdims``.
"""
import builtins
import warnings

import numpy as np
import torch
import torch.nn.functional as F

from keras_compat.backend import config
from keras_compat.backend.symbolic import (RECIPE, RECORDING_OPERATORS, OpTensor,
                                          SymbolicTensor, evaluate, recording, symbolic_aware)

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
    "function", "gradients", "stop_gradient", "rnn", "one_hot", "cast_to_floatx", "arange",
    "stack", "reverse", "in_top_k", "print_tensor", "update", "update_add", "update_sub",
    "moving_average_update", "batch_normalization", "normalize_batch_in_training", "map_fn",
    "foldl", "foldr", "is_sparse", "to_dense", "pattern_broadcast", "is_explicit_shape",
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
    x, y = _t(x), _t(y)
    if isinstance(axes, int):
        axes = (axes, axes)
    if axes is None:
        axes = (x.dim() - 1, y.dim() - 2)
    ax, ay = axes[0] % x.dim(), axes[1] % y.dim()
    if x.dim() == 2 and y.dim() == 2 and config.backend() == "tensorflow":
        # TensorFlow's Keras 1 summed the elementwise product of two matrices along the given
        # axis, batch axis included (axes=0 sums over the samples).
        if ax == ay:
            out = (x * y).sum(ax)
        else:
            out = (x.t() * y).sum(ay)
        return out.unsqueeze(1)
    if ax == 0 or ay == 0:
        raise ValueError("K.batch_dot: axes to sum over must not contain the batch axis "
                         "(axes=%s)" % (axes,))
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
def _reduction(name, whole, along):
    """The Keras-1 reduction ``name(x, axis=None, keepdims=False)``: ``whole(x)`` over every
    axis (each kept with size 1 under ``keepdims``), else ``along(x, axis, keepdims)``."""
    def reduce(x, axis=None, keepdims=False):
        x = _t(x)
        if axis is None:
            result = whole(x)
            return result.reshape((1,) * x.dim()) if keepdims else result
        return along(x, axis, keepdims)
    reduce.__name__ = reduce.__qualname__ = name
    return symbolic_aware(reduce)


def _along_dims(op):
    return lambda x, axis, keepdims: op(x, dim=_axis(axis), keepdim=keepdims)


def _prod_along(x, axis, keepdims):
    axes = [a % x.dim() for a in (axis if isinstance(axis, (list, tuple)) else [axis])]
    for a in sorted(axes, reverse=True):
        x = x.prod(dim=a, keepdim=keepdims)
    return x


sum = _reduction("sum", torch.sum, _along_dims(torch.sum))  # noqa: A001
mean = _reduction("mean", torch.mean, _along_dims(torch.mean))
prod = _reduction("prod", torch.prod, _prod_along)


@symbolic_aware
def var(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        return x.var(unbiased=False)
    return x.var(dim=_axis(axis), unbiased=False, keepdim=keepdims)


@symbolic_aware
def std(x, axis=None, keepdims=False):
    return torch.sqrt(var.eager(x, axis, keepdims))


def _extreme_along(op, several_axes):
    # One axis: torch.max/min (the gradient goes to one element, as Keras 1's did).
    def along(x, axis, keepdims):
        if isinstance(axis, (list, tuple)):
            return several_axes(x, dim=tuple(axis), keepdim=keepdims)
        return op(x, dim=axis, keepdim=keepdims).values
    return along


max = _reduction("max", torch.max, _extreme_along(torch.max, torch.amax))  # noqa: A001
min = _reduction("min", torch.min, _extreme_along(torch.min, torch.amin))  # noqa: A001


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
abs = symbolic_aware(lambda x: torch.abs(_t(x)))  # noqa: A001
round = symbolic_aware(lambda x: torch.round(_t(x)))  # noqa: A001
sign = symbolic_aware(lambda x: torch.sign(_t(x)))
sin = symbolic_aware(lambda x: torch.sin(_t(x)))
cos = symbolic_aware(lambda x: torch.cos(_t(x)))
pow = symbolic_aware(lambda x, a: torch.pow(_t(x), a))  # noqa: A001
for _fn, _name in ((square, "square"), (exp, "exp"), (log, "log"), (abs, "abs"),
                   (round, "round"), (sign, "sign"), (sin, "sin"), (cos, "cos"), (pow, "pow")):
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
for _fn, _name in ((maximum, "maximum"), (minimum, "minimum"), (equal, "equal"),
                   (not_equal, "not_equal"), (greater, "greater"),
                   (greater_equal, "greater_equal"), (lesser, "lesser"),
                   (lesser_equal, "lesser_equal")):
    _fn.__name__ = _name


@symbolic_aware
def stop_gradient(variables):
    """``variables`` with no gradient flowing back (a list gives a list)."""
    if isinstance(variables, (list, tuple)):
        return [_t(v).detach() for v in variables]
    return _t(variables).detach()


# -- shapes ---------------------------------------------------------------------------------
@symbolic_aware
def concatenate(tensors, axis=-1):
    return torch.cat([_t(t) for t in tensors], dim=axis)


@symbolic_aware
def stack(x):
    """Stack a list of same-shaped tensors along a new first axis."""
    return torch.stack([_t(t) for t in x])


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
    x = _t(x)
    if x.shape[axis] != 1:
        raise ValueError("K.squeeze: axis %d of a tensor of shape %s has size %d, not 1"
                         % (axis, tuple(x.shape), x.shape[axis]))
    return x.squeeze(axis)


@symbolic_aware
def reverse(x, axes):
    """``x`` with the order of its entries reversed along ``axes`` (an int or a list)."""
    x = _t(x)
    axes = [axes] if isinstance(axes, int) else list(axes)
    return torch.flip(x, [a % x.dim() for a in axes])


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
    return rows_of(_t(x))


class _RowsOfChannelsLast(torch.autograd.Function):
    """``x.reshape(len(x), -1)`` of a channels-last 4-D tensor whose gradient comes back
    channels-last too."""

    @staticmethod
    def forward(ctx, x):
        ctx.input_shape = x.shape
        return x.reshape(x.shape[0], -1)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape).contiguous(memory_format=torch.channels_last)


def _channels_last_only(x):
    """Whether ``x`` is a 4-D tensor in channels-last memory order (and not also NCHW, as a
    one-channel or 1x1 tensor can be both)."""
    return (x.dim() == 4 and not x.is_contiguous()
            and x.is_contiguous(memory_format=torch.channels_last))


def rows_of(x):
    """``x`` as ``(batch, features)`` in C order (Keras 1's ``batch_flatten``).

    A convolution that ran channels-last (``base_conv.fastest_layout``) hands over a
    channels-last tensor: its rows are a copy either way, but a plain ``reshape`` sends the
    gradient back in NCHW order, and the pooling or convolution before it then converts its
    own (larger) saved input to match.  Here the small gradient is converted instead: on
    workload B's convnet that is one copy of (128, 32, 12, 12) in place of one of
    (128, 32, 24, 24) per step.
    """
    if x.requires_grad and _channels_last_only(x):
        return _RowsOfChannelsLast.apply(x)
    return x.reshape(x.shape[0], -1)


@symbolic_aware
def gather(reference, indices):
    return _t(reference)[torch.as_tensor(np.asarray(indices) if not isinstance(
        indices, torch.Tensor) else indices).long()]


@symbolic_aware
def one_hot(indices, nb_classes):
    """``(..., nb_classes)`` float one-hot rows of integer ``indices``."""
    return F.one_hot(_t(indices).long(), nb_classes).to(_dtype(None))


@symbolic_aware
def l2_normalize(x, axis):
    """Unit L2 norm along ``axis``: TensorFlow's ``x / sqrt(max(sum(x**2), 1e-12))``, Theano's
    plain ``x / sqrt(sum(x**2))`` (a zero vector gives NaN there, as it did)."""
    x = _t(x)
    squares = torch.sum(x * x, dim=axis, keepdim=True)
    if config.backend() == "theano":
        return x / torch.sqrt(squares)
    return x * torch.rsqrt(torch.clamp(squares, min=1e-12))


@symbolic_aware
def in_top_k(predictions, targets, k):
    """Bool ``(batch,)``: whether ``targets[i]`` is among the ``k`` largest ``predictions[i]``.

    Ties follow TensorFlow's ``in_top_k``: a target tied with the k-th value counts as in."""
    predictions = _t(predictions)
    targets = _t(targets).long().reshape(-1)
    if predictions.dim() != 2:
        raise ValueError("K.in_top_k: predictions must be 2-D (batch, classes), got shape %s"
                         % (tuple(predictions.shape),))
    target_scores = predictions.gather(1, targets.unsqueeze(1))
    better = (predictions > target_scores).sum(dim=1)
    return better < k


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


def inverted_dropout_noise(shape, keep, like, generator=None):
    """Inverted-dropout noise of ``shape`` in ``like``'s dtype and device: ``1 / keep`` with
    probability ``keep``, else 0 (what every dropout of the package multiplies by).

    Drawn as ``uniform < keep`` in place: on this project's CPU that takes about half the
    time of torch's ``bernoulli_``, which ``F.dropout`` draws with (a (128, 32, 12, 12) draw
    and its product, forward and backward: 3.1-4.4 ms against 7.2-8.4 ms).  Same law; the
    uniform's 24-bit resolution moves ``keep`` by less than 6e-8.  The uniform is drawn in
    float32 (float64 for float64) whatever ``like``'s dtype: a bfloat16 uniform has 8 bits, and
    mixed-precision runs then keep the masks of full-precision runs with the same seed.
    """
    draw = torch.float64 if like.dtype == torch.float64 else torch.float32
    shape = tuple(shape)
    if shape == tuple(like.shape) and _channels_last_only(like):
        # Noise in ``like``'s memory order: a product of a channels-last tensor with an NCHW
        # one runs a strided loop (a (128, 32, 12, 12) product took 2.3x as long), and its
        # NCHW gradient would then make the convolution before it return NCHW gradients.
        noise = torch.empty(shape, dtype=draw, device=like.device,
                            memory_format=torch.channels_last).uniform_(generator=generator)
    else:
        noise = torch.rand(shape, dtype=draw, device=like.device, generator=generator)
    noise = noise.lt_(keep).div_(keep)
    return noise if draw == like.dtype else noise.to(like.dtype)


@symbolic_aware
def dropout(x, level, noise_shape=None, seed=None):
    """Inverted dropout: keep with probability ``1 - level`` and scale by ``1 / (1 - level)``."""
    x = _t(x)
    if level < 0. or level >= 1:
        raise ValueError("Dropout level must be in interval [0, 1[, got %r" % (level,))
    shape = tuple(noise_shape) if noise_shape is not None else tuple(x.shape)
    generator = None if seed is None else torch.Generator(x.device).manual_seed(int(seed))
    return x * inverted_dropout_noise(shape, 1. - level, x, generator)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A variable drawn from N(mean, scale).  Emulated Theano ignored ``mean`` (Keras 1.2.2's
    Theano backend drew from N(0, scale)), and so does this under ``backend='theano'``."""
    if config.backend() == "theano":
        mean = 0.0
    value = random_normal(shape, mean, scale, dtype, seed if seed is not None
                          else np.random.randint(10 ** 8))
    return variable(value, dtype=dtype, name=name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A variable drawn uniformly from ``[low, high)``."""
    value = random_uniform(shape, low, high, dtype, seed if seed is not None
                           else np.random.randint(10 ** 8))
    return variable(value, dtype=dtype, name=name)


# -- learning phase -------------------------------------------------------------------------
class _LearningPhase(SymbolicTensor):
    """``K.learning_phase()``: 1 in training, 0 in test; feed it to ``K.function`` as in Keras."""

    def __init__(self):
        self._keras_shape = ()
        self._keras_history = None
        self.dtype = "uint8"
        self.has_mask = False
        self.name = "keras_learning_phase"

    def unfed_value(self):
        return torch.tensor(int(_in_training()), dtype=torch.uint8)


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


@symbolic_aware
def in_train_phase(x, alt):
    """``x`` in the training phase, ``alt`` in the test phase (callables are called).  On
    symbolic tensors the choice is made when K.function runs, with the phase it is fed."""
    chosen = x if _in_training() else alt
    return chosen() if callable(chosen) else chosen


@symbolic_aware
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


# -- variables ------------------------------------------------------------------------------
def _dtype(dtype):
    name = dtype or config.floatx()
    value = getattr(torch, str(name), None)
    if not isinstance(value, torch.dtype):
        raise ValueError("Unknown dtype %r" % (dtype,))
    return value


def variable(value, dtype=None, name=None):
    """A ``torch.nn.Parameter`` holding ``value`` (floatx by default).

    Assigned to a layer attribute (``self.W = K.variable(...)``) it becomes a registered
    parameter of the layer; get_value/set_value read and write it.  A scipy sparse matrix
    gives a torch sparse COO tensor (not trainable).
    """
    if hasattr(value, "tocoo"):
        coo = value.tocoo()
        indices = torch.as_tensor(np.vstack([coo.row, coo.col]).astype("int64"))
        return torch.sparse_coo_tensor(indices, torch.as_tensor(coo.data, dtype=_dtype(dtype)),
                                       coo.shape, check_invariants=True).coalesce()
    if isinstance(value, torch.Tensor):
        tensor = value.detach().clone().to(_dtype(dtype))
    else:
        tensor = torch.as_tensor(np.asarray(value, dtype=dtype or config.floatx()))
    param = KerasVariable(tensor, requires_grad=tensor.is_floating_point())
    param._keras_variable = True
    if name is not None:
        param._keras_name = name
    return param


class KerasVariable(torch.nn.Parameter):
    """A ``K.variable``: a Parameter whose arithmetic results remember how they were computed
    (see ``symbolic.RECIPE``), so K.function and K.eval recompute them from current values."""


for _name in RECORDING_OPERATORS:
    setattr(KerasVariable, _name, recording(_name))


def _is_variable(x):
    return isinstance(x, torch.nn.Parameter)


def get_value(x):
    """NumPy value of a variable.  On an expression Theano refused (use K.eval) while
    TensorFlow evaluated it; each emulated backend does the same."""
    if isinstance(x, SymbolicTensor) or (config.backend() == "theano"
                                         and isinstance(x, OpTensor)):
        if config.backend() == "theano":
            raise TypeError("K.get_value() can only be called on a variable. If you have an "
                            "expression instead, use eval().")
        return eval(x)
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def set_value(x, value):
    """Write ``value`` into the variable ``x`` in place (shapes must agree)."""
    write = getattr(x, "_keras1_write", None)  # a Keras-1 weight attribute (layer.W)
    if write is not None:
        return write(value)
    if not isinstance(x, torch.Tensor):
        raise TypeError("K.set_value: x must be a variable (K.variable), got %r" % (x,))
    value = np.asarray(value)
    if tuple(value.shape) != tuple(x.shape):
        raise ValueError("K.set_value: the variable has shape %s but the value has shape %s"
                         % (tuple(x.shape), value.shape))
    with torch.no_grad():
        x.copy_(torch.as_tensor(value, dtype=x.dtype))


def batch_get_value(xs):
    return [get_value(x) for x in xs]


def batch_set_value(tuples):
    for x, value in tuples:
        set_value(x, value)


def count_params(x):
    """Number of scalars in ``x``."""
    shape = int_shape(x)
    if shape is None or builtins.any(d is None for d in shape):
        raise ValueError("K.count_params: the shape of %r is not fully known" % (x,))
    return int(np.prod(shape, dtype="int64"))


def int_shape(x):
    """The shape as a tuple of ints (``None`` for unknown axes, ``None`` when even the rank is
    unknown)."""
    if isinstance(x, SymbolicTensor):
        shape = x._keras_shape
        return None if shape is None else tuple(shape)
    if isinstance(x, torch.Tensor):
        return tuple(x.shape)
    return tuple(np.shape(x))


def get_variable_shape(x):
    return int_shape(x)


def is_sparse(tensor):
    return isinstance(tensor, torch.Tensor) and tensor.is_sparse


def to_dense(tensor):
    return tensor.to_dense() if is_sparse(tensor) else tensor


def pattern_broadcast(x, broatcastable):  # Keras 1.2.2's spelling of the argument
    """Theano's broadcastable-pattern hint: torch broadcasts size-1 axes by itself, so the
    values are unchanged."""
    return x


def is_explicit_shape(shape):
    """Whether ``shape`` is a sequence of known ints (Theano backend helper)."""
    if not hasattr(shape, "__iter__"):
        return False
    return builtins.all(isinstance(d, (int, np.integer)) for d in shape)


# -- tensors --------------------------------------------------------------------------------
@symbolic_aware
def cast(x, dtype):
    return _t(x).to(_dtype(dtype))


def cast_to_floatx(x):
    return np.asarray(x, dtype=config.floatx())


def shape(x):
    """The symbolic shape: a 1-D integer tensor (int32 on TensorFlow, int64 on Theano).

    On a symbolic tensor it is an expression K.function evaluates with the fed shapes."""
    if isinstance(x, SymbolicTensor):
        return OpTensor(shape, (x,), name="shape")
    int_type = torch.int64 if config.backend() == "theano" else torch.int32
    return torch.tensor(tuple(_t(x).shape), dtype=int_type)


def ndim(x):
    """The number of axes (``None`` when unknown)."""
    shape = int_shape(x)
    return None if shape is None else len(shape)


def dtype(x):
    """The dtype as a string; emulated TensorFlow reports variables as ``'float32_ref'``, as
    Keras 1's TensorFlow backend did."""
    if isinstance(x, SymbolicTensor):
        return str(x.dtype)
    name = str(_t(x).dtype).replace("torch.", "")
    if _is_variable(x) and config.backend() == "tensorflow":
        return name + "_ref"
    return name


def ones(shape, dtype=None, name=None):
    return variable(np.ones(shape, dtype=dtype or config.floatx()), dtype, name)


def zeros(shape, dtype=None, name=None):
    return variable(np.zeros(shape, dtype=dtype or config.floatx()), dtype, name)


def eye(size, dtype=None, name=None):
    return variable(np.eye(size, dtype=dtype or config.floatx()), dtype, name)


@symbolic_aware
def ones_like(x, dtype=None, name=None):
    return torch.ones_like(_t(x), dtype=_dtype(dtype) if dtype else None)


@symbolic_aware
def zeros_like(x, dtype=None, name=None):
    return torch.zeros_like(_t(x), dtype=_dtype(dtype) if dtype else None)


def arange(start, stop=None, step=1, dtype="int32"):
    """Like ``np.arange``: a range that cannot reach ``stop`` is empty (``arange(-20)``)."""
    if stop is None:
        start, stop = 0, start
    if (stop - start) * step <= 0:
        return torch.zeros((0,), dtype=_dtype(dtype))
    return torch.arange(start, stop, step, dtype=_dtype(dtype))


class _Placeholder(SymbolicTensor):
    def __init__(self, shape, dtype, name, sparse=False):
        self._keras_shape = None if shape is None else tuple(shape)
        self._keras_history = None
        self.dtype = dtype
        self.has_mask = False
        self.sparse = sparse
        self.name = name or "placeholder"

    def unfed_value(self):
        raise ValueError("You must feed a value for placeholder %s (shape %s): pass it in the "
                         "inputs of K.function" % (self.name, self._keras_shape))


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """A symbolic input for ``K.function``.  ``ndim`` gives an all-``None`` shape; with neither,
    emulated TensorFlow makes a placeholder of unknown rank and Theano refused."""
    if shape is None and ndim is not None:
        shape = (None,) * ndim
    if shape is None and config.backend() == "theano":
        raise ValueError("K.placeholder: specify either a shape or ndim value.")
    return _Placeholder(shape, dtype or config.floatx(), name, sparse)


def is_keras_tensor(x):
    return isinstance(x, SymbolicTensor) and x._keras_history is not None


def _to_numpy(value):
    """A result as Keras 1 handed it back: TensorFlow gave NumPy scalars for 0-d results,
    Theano 0-d arrays."""
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if value.is_sparse:
            value = value.to_dense()
        value = value.cpu().contiguous().numpy()  # convolutions may leave channels-last
    else:
        value = np.asarray(value)
    if value.ndim == 0 and config.backend() == "tensorflow":
        return value[()]
    return value


def eval(x):  # noqa: A001
    """NumPy value of a tensor, a variable, or a symbolic expression that needs no fed input
    (an update op is applied when evaluated, as running it in TensorFlow did)."""
    if isinstance(x, tuple) and config.backend() == "theano":
        raise TypeError("K.eval: %r is a Theano update tuple (variable, new_value); pass it to "
                        "K.function(..., updates=[...]) to apply it" % (x,))
    if isinstance(x, SymbolicTensor) or hasattr(x, RECIPE):
        with torch.no_grad():
            x = evaluate([x], {})[0]
    return _to_numpy(x)


def print_tensor(x, message=""):
    """``x`` unchanged; its value is printed (after ``message``) each time it is computed."""
    return _Print(x, message) if isinstance(x, SymbolicTensor) else _print_now(_t(x), message)


def _print_now(value, message):
    print("%s%s" % (message, value.detach().cpu().numpy()))
    return value


class _Print(OpTensor):
    def __init__(self, x, message):
        super().__init__(_print_now, (x, message), name="print")


# -- variable updates -----------------------------------------------------------------------
class UpdateOp(OpTensor):
    """An assignment ``variable <- new_value`` run when K.function runs (or K.eval evaluates)
    it, as TensorFlow's assign ops were.  Its value is the variable's new value."""

    def __init__(self, variable, new_value, name="assign"):
        super().__init__(None, (), name=name)
        self.variable = variable
        self.new_value = new_value

    def compute(self, value_of):
        _assign(self.variable, value_of(self.new_value))
        return self.variable.detach().clone()

    def meta_value(self, meta_of):
        return meta_of(self.variable)


def _assign(variable, value):
    with torch.no_grad():
        variable.copy_(_t(value).to(variable.dtype).expand_as(variable))


def _check_variable(x, function):
    if not isinstance(x, torch.Tensor):
        raise TypeError("K.%s: x must be a variable (K.variable), got %r" % (function, x))


def _update(x, combine, operand, function):
    """``x <- combine(x, operand)``, the new value computed from ``x``'s value when the update
    runs.  Theano's Keras 1 returned the ``(x, new_x)`` tuple K.function applies, TensorFlow's
    an assign op; each emulated backend returns its own."""
    _check_variable(x, function)
    new_x = OpTensor(combine, (x, operand), name=function)
    if config.backend() == "theano":
        return (x, new_x)
    return UpdateOp(x, new_x, name=function)


def _replace(old, new):
    return _t(new)


def update(x, new_x):
    return _update(x, _replace, new_x, "update")


def update_add(x, increment):
    return _update(x, torch.add, increment, "update_add")


def update_sub(x, decrement):
    return _update(x, torch.sub, decrement, "update_sub")


def moving_average_update(variable, value, momentum):
    """``variable <- variable * momentum + value * (1 - momentum)`` (no zero-debiasing)."""
    def moving_average(old, new):
        return old * momentum + _t(new) * (1. - momentum)
    return _update(variable, moving_average, value, "moving_average_update")


def apply_updates(updates, feed=None):
    """Apply Keras-1 updates: ``(variable, new_value)`` tuples and update ops.  Every new value
    is computed from the values before any assignment, then all are written."""
    pairs = []
    for entry in updates:
        if isinstance(entry, UpdateOp):
            pairs.append((entry.variable, entry.new_value))
        elif isinstance(entry, (tuple, list)) and len(entry) == 2:
            _check_variable(entry[0], "function")
            pairs.append((entry[0], entry[1]))
        else:
            raise TypeError("K.function: an update must be a (variable, new_value) tuple or an "
                            "update op (K.update...), got %r" % (entry,))
    values = evaluate([new for _, new in pairs], dict(feed or {}))
    for (variable, _), value in zip(pairs, values):
        _assign(variable, value)


# -- normalization --------------------------------------------------------------------------
@symbolic_aware
def batch_normalization(x, mean, var, beta, gamma, epsilon=1e-3):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta`` (the statistics broadcast on x)."""
    x = _t(x)
    return (x - _t(mean)) * torch.rsqrt(_t(var) + epsilon) * _t(gamma) + _t(beta)


def _three_parts(args, kwargs, whole):
    return whole[0], whole[1], whole[2]


@symbolic_aware(structure=_three_parts)
def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):
    """``(normed, mean, var)`` with the batch statistics over ``reduction_axes``; ``mean`` and
    ``var`` keep only the other axes.  Emulated Theano returns ``var + epsilon`` as its
    ``batch_normalization_train`` did (``1 / stdinv**2``)."""
    x = _t(x)
    axes = sorted(a % x.dim() for a in reduction_axes)
    mean = x.mean(dim=axes, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=axes, keepdim=True)
    kept = [d for d in range(x.dim()) if d not in axes]
    broadcast = [1 if d in axes else x.shape[d] for d in range(x.dim())]
    normed = (x - mean) * torch.rsqrt(var + epsilon) * _t(gamma).reshape(broadcast) \
        + _t(beta).reshape(broadcast)
    stat_shape = [x.shape[d] for d in kept]
    mean, var = mean.reshape(stat_shape), var.reshape(stat_shape)
    if config.backend() == "theano":
        var = 1. / (torch.rsqrt(var + epsilon) ** 2)
    return normed, mean, var


# -- higher-order functions -----------------------------------------------------------------
def _elements(elems):
    return _t(elems)


@symbolic_aware
def map_fn(fn, elems, name=None):
    """``fn`` applied to each slice ``elems[i]``, results stacked."""
    elems = _elements(elems)
    return torch.stack([_t(fn(e)) for e in elems])


@symbolic_aware
def foldl(fn, elems, initializer=None, name=None):
    """``fn(acc, x)`` over ``elems`` from first to last (from ``elems[0]`` without an
    initializer)."""
    elems = _elements(elems)
    items = list(elems)
    acc = items.pop(0) if initializer is None else _t(initializer)
    for item in items:
        acc = fn(acc, item)
    return acc


@symbolic_aware
def foldr(fn, elems, initializer=None, name=None):
    """``fn(acc, x)`` over ``elems`` from last to first (from ``elems[-1]`` without an
    initializer)."""
    elems = _elements(elems)
    items = list(elems)
    acc = items.pop() if initializer is None else _t(initializer)
    for item in reversed(items):
        acc = fn(acc, item)
    return acc


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

    def meta_value(self, meta_of):
        return meta_of(self.variable)


def gradients(loss, variables):
    """``K.gradients(loss, variables)``: the gradient of ``loss`` for each variable.

    A list under emulated TensorFlow; under Theano a single variable (not in a list) gives the
    single gradient, as ``T.grad`` did.  With a symbolic ``loss`` the result is symbolic and
    computed by ``K.function``; with concrete tensors autograd computes it right away.
    """
    single = not isinstance(variables, (list, tuple))
    variables = [variables] if single else list(variables)
    if isinstance(loss, SymbolicTensor):
        grads = [_Gradients(loss, v, i) for i, v in enumerate(variables)]
    else:
        loss = _t(loss)
        if loss.dim():
            loss = loss.sum()
        if loss.requires_grad:
            grads = torch.autograd.grad(loss, variables, allow_unused=True, retain_graph=True)
        else:
            grads = [None] * len(variables)
        grads = [torch.zeros_like(v) if g is None else g for v, g in zip(variables, grads)]
    if single and config.backend() == "theano":
        return grads[0]
    return list(grads)


# theano.function's own keyword arguments, which Keras 1's Theano backend passed through.
_THEANO_FUNCTION_ARGS = ("mode", "givens", "no_default_updates", "accept_inplace", "name",
                         "rebuild_strict", "allow_input_downcast", "profile", "on_unused_input")


class Function:
    """``K.function(inputs, outputs, updates=[])``: call it with a list of arrays.

    Running it computes ``outputs`` from the fed inputs, then applies ``updates`` (tuples or
    update ops), all new values computed from the values before the call."""

    def __init__(self, inputs, outputs, updates=[], **kwargs):  # noqa: B006 (Keras 1's default, never mutated)
        for argument, value in (("inputs", inputs), ("outputs", outputs),
                                ("updates", updates if updates is not None else [])):
            if not isinstance(value, (list, tuple)):
                raise TypeError("K.function: `%s` should be a list or tuple, got %r"
                                % (argument, type(value).__name__))
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.updates = list(updates or [])
        for tensor in self.inputs:
            if not isinstance(tensor, SymbolicTensor):
                raise TypeError("K.function: inputs must be symbolic tensors (Input(), model.input, "
                                "K.placeholder(), K.learning_phase()); got %r" % (tensor,))
        self._needs_grad = _has_gradients(self.outputs)
        # Results follow the conventions of the backend the function was made under.
        self._backend = config.backend()

    def __call__(self, inputs):
        with config.emulating(self._backend):
            return self._call(inputs)

    def _call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise TypeError("K.function: call it with a list of input values, got %r"
                            % (type(inputs).__name__,))
        values = list(inputs)
        if len(values) != len(self.inputs):
            raise ValueError("K.function expects %d input values, got %d"
                             % (len(self.inputs), len(values)))
        feed = {}
        phase = None
        for tensor, value in zip(self.inputs, values):
            if tensor is _LEARNING_PHASE:
                phase = int(np.asarray(value))
                continue
            if hasattr(value, "tocoo"):
                value = variable(value)
            value = torch.as_tensor(np.asarray(value) if not isinstance(value, torch.Tensor)
                                    else value)
            if value.is_floating_point() and not value.is_sparse:
                wanted = str(tensor.dtype)
                value = value.to(_dtype(wanted if wanted.startswith("float") else None))
                if self._needs_grad:
                    value = value.clone().requires_grad_(True)
            feed[tensor] = value
        previous = _PHASE["value"]
        _PHASE["value"] = phase if phase is not None else (previous or 0)
        try:
            with torch.set_grad_enabled(self._needs_grad):
                results = evaluate(self.outputs, feed,
                                   training=None if phase is None else bool(phase))
                if self.updates:
                    apply_updates(self.updates, feed)
        finally:
            _PHASE["value"] = previous
        return [_to_numpy(r) for r in results]


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


def function(inputs, outputs, updates=[], **kwargs):  # noqa: B006 (Keras 1's default)
    """A callable computing ``outputs`` from ``inputs``.  Extra keywords: emulated Theano
    accepted theano.function's own and refused others; TensorFlow warned and ignored them."""
    check_function_kwargs(kwargs)
    return Function(inputs, outputs, updates=updates)


def check_function_kwargs(kwargs):
    """Keras 1's rule for extra ``K.function`` keywords (``model.compile(**kwargs)`` passed
    them on): emulated Theano accepted theano.function's own and refused others; TensorFlow
    warned and ignored them."""
    if not kwargs:
        return
    if config.backend() == "theano":
        for key in kwargs:
            if key not in _THEANO_FUNCTION_ARGS:
                raise ValueError('Invalid argument "%s" passed to K.function' % key)
    else:
        warnings.warn("Expected no kwargs, you passed %s\nkwargs passed to function are "
                      "ignored with Tensorflow backend" % len(kwargs))


# -- recurrence -----------------------------------------------------------------------------
def _rnn_parts(args, kwargs, whole):
    initial_states = args[2] if len(args) > 2 else kwargs["initial_states"]
    return whole[0], whole[1], [whole[2][i] for i in range(len(initial_states))]


@symbolic_aware(structure=_rnn_parts)
def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None):
    """Iterate ``step_function(x_t, states + constants) -> (output_t, new_states)`` over time.

    Returns ``(last_output, outputs (batch, time, ...), new_states)``.  Masked timesteps
    (``mask[:, t] == 0``) keep the previous output and states, as in Keras 1.  ``unroll`` and
    ``input_length`` were graph-building hints and change nothing here.
    """
    inputs = _t(inputs)
    if inputs.dim() < 3:
        raise ValueError("K.rnn: inputs must be at least 3-D (samples, timesteps, ...), got "
                         "shape %s" % (tuple(inputs.shape),))
    if mask is not None:
        mask = _t(mask)
        if mask.dim() == inputs.dim():
            mask = mask[..., 0]
    constants = list(constants or [])
    states = list(initial_states)
    steps = range(inputs.shape[1] - 1, -1, -1) if go_backwards else range(inputs.shape[1])
    outputs = []
    last_output = None
    for t in steps:
        output, new_states = step_function(inputs[:, t], states + constants)
        if mask is not None:
            keep = mask[:, t].to(output.dtype).reshape((-1,) + (1,) * (output.dim() - 1))
            if last_output is None:
                last_output = torch.zeros_like(output)
            output = keep * output + (1 - keep) * last_output
            new_states = [keep.reshape((-1,) + (1,) * (n.dim() - 1)) * n
                          + (1 - keep.reshape((-1,) + (1,) * (n.dim() - 1))) * s
                          for n, s in zip(new_states, states)]
        outputs.append(output)
        last_output = output
        states = list(new_states)
    return last_output, torch.stack(outputs, dim=1), states
