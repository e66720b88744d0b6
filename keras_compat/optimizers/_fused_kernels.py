"""One-pass updates for Keras-1 Adam, RMSprop and Adagrad on torch's fused optimizer kernels.

The multi-tensor (``torch._foreach_*``) updates in ``base`` make four or five passes over
every parameter (RMSprop: scale the accumulator, add ``g^2``, take the root, add epsilon,
divide); ``torch._fused_adam_`` and ``torch._fused_adagrad_`` read each element once and
write it once.  On the MLP of workload D that is 0.38 ms per RMSprop step instead of 0.83 ms.

They compute torch's Adam and Adagrad; Keras 1's rules are recovered exactly:

- **Adam** divides by bias corrections ``1 - beta**step`` read from a step tensor.  The step
  tensor here holds ``inf``, so ``beta**step`` is 0 and both corrections are 1: the kernel
  then computes ``m <- lerp(m, g, 1-beta1)``, ``v <- beta2*v + (1-beta2)*g^2`` and
  ``p -= lr * m / (sqrt(v) + eps)``, which is Keras 1's Adam with its own ``lr_t`` passed
  as ``lr`` (the caller folds Keras 1's float32 bias corrections into it, as before).
- **RMSprop** is that Adam with ``beta1 = 0`` (``m`` is then ``g``; the gradient tensor
  itself serves as ``m``, so no buffer is needed) and ``beta2 = rho``.
- **Adagrad** with ``lr_decay = 0`` (and a step tensor of 1) is Keras 1's Adagrad.

``beta``s are passed as their float32 values, so ``1 - beta`` rounds to the float32 number
Keras' graph used.  The one difference from the ``foreach`` updates is the rounding of the
first moment (a lerp rather than ``b1*m + (1-b1)*g``), about one float32 ulp of ``m``;
``tests/optimizers/test_fused_kernels.py`` checks both paths against each other and against
the Keras-1 reference numbers.

The fused path runs on CPU only: the CUDA kernels exist but have not been measured or
checked against the ``foreach`` path on a GPU here (#11).  Anything the kernels cannot take
(another device, float16/bfloat16 or mixed dtypes, non-contiguous or sparse tensors, a torch
without the CPU kernels, which arrived in torch 2.4) goes to the ``foreach`` update.
"""
import torch

from .base import read

_DEVICE_TYPES = ("cpu",)
# The dtypes whose agreement with the multi-tensor updates is tested (parameters stay
# float32 under mixed precision).
_DTYPES = (torch.float32, torch.float64)

_enabled = True
# (kernel name, dtype) -> whether this torch has the kernel for CPU tensors of that dtype.
_supported = {}
# step value -> the 0-d float32 step tensor handed to the kernels (they only read it).
_step_tensors = {}


def set_fused_kernels(enabled):
    """Use (``True``, the default) or never use the fused one-pass kernels for Adam, RMSprop
    and Adagrad.  ``False`` runs the multi-tensor updates, the reference the fused path is
    tested against."""
    global _enabled
    _enabled = bool(enabled)


def fused_kernels_enabled():
    return _enabled


def _steps(value, count):
    """``count`` references to one 0-d step tensor holding ``value``."""
    step = _step_tensors.get(value)
    if step is None:
        step = _step_tensors[value] = torch.full((), value, dtype=torch.float32)
    return [step] * count


def _kernel_supported(name, dtype):
    key = (name, dtype)
    if key not in _supported:
        def one():
            return [torch.zeros(1, dtype=dtype)]
        try:
            if name == "adam":
                _adam(one(), one(), one(), one(), lr=0., beta1=0., beta2=0., epsilon=1.)
            else:
                _adagrad(one(), one(), one(), lr=0., epsilon=1.)
            _supported[key] = True
        except (RuntimeError, NotImplementedError, AttributeError):
            # No such op (torch < 2.0), or no CPU kernel for it (torch < 2.4).
            _supported[key] = False
    return _supported[key]


def _usable(name, *tensor_lists):
    """Whether every tensor is a dense, contiguous CPU tensor of one floating dtype the
    kernel supports."""
    if not _enabled:
        return False
    first = tensor_lists[0][0]
    dtype = first.dtype
    if first.device.type not in _DEVICE_TYPES or dtype not in _DTYPES:
        return False
    for tensors in tensor_lists:
        for t in tensors:
            if (t.dtype != dtype or t.device != first.device or t.layout != torch.strided
                    or not t.is_contiguous()):
                return False
    return _kernel_supported(name, dtype)


def _adam(params, grads, firsts, seconds, *, lr, beta1, beta2, epsilon):
    # beta**inf == 0: both bias corrections are 1.
    steps = _steps(float("inf"), len(params))
    torch._fused_adam_(params, grads, firsts, seconds, [], steps, lr=lr, beta1=beta1,
                       beta2=beta2, weight_decay=0., eps=epsilon, amsgrad=False, maximize=False)


def _adagrad(params, grads, sums, *, lr, epsilon):
    # The kernel's step size is lr / (1 + (step - 1) * lr_decay): lr at step 1.
    steps = _steps(1., len(params))
    torch._fused_adagrad_(params, grads, sums, steps, lr=lr, lr_decay=0., weight_decay=0.,
                          eps=epsilon, maximize=False)


def adam_step(params, grads, firsts, seconds, *, lr, beta1, beta2, epsilon):
    """Keras-1 Adam in one pass (``lr`` is Keras 1's ``lr_t``), or ``False`` (nothing done)
    where the fused kernel cannot take these tensors."""
    if not _usable("adam", params, grads, firsts, seconds):
        return False
    _adam(params, grads, firsts, seconds, lr=float(lr), beta1=float(read(beta1)),
          beta2=float(read(beta2)), epsilon=float(epsilon))
    return True


def rmsprop_step(params, grads, accumulators, *, lr, rho, epsilon):
    """Keras-1 RMSprop in one pass, or ``False`` (nothing done).  The gradients double as
    Adam's first moment: with ``beta1 = 0`` the kernel writes ``g`` over itself."""
    if not _usable("adam", params, grads, accumulators):
        return False
    _adam(params, grads, grads, accumulators, lr=float(lr), beta1=0., beta2=float(read(rho)),
          epsilon=float(epsilon))
    return True


def adagrad_step(params, grads, sums, *, lr, epsilon):
    """Keras-1 Adagrad in one pass, or ``False`` (nothing done)."""
    if not _usable("adagrad", params, grads, sums):
        return False
    _adagrad(params, grads, sums, lr=float(lr), epsilon=float(epsilon))
    return True
