"""Keras-1 SGD: momentum, Nesterov momentum and time-based decay."""
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, read


class KerasSGD(KerasTorchOptimizer):
    """torch optimizer with Keras-1 SGD maths."""
    hyper_parameters = HYPER_PARAMETERS["SGD"]
    state_names = ("momentum_buffer",)  # Keras 1 made one even with momentum == 0

    def _deferred(self):
        """Moments deferred by momentum-0 steps: ``{id(group): (moments, grads, lr_eff)}``."""
        return self.__dict__.setdefault("_pending", {})

    def flush(self):
        """Materialise moments deferred by momentum-0 steps (``m = -lr_eff * g``).

        The deferred gradients are read here, so they must not be modified in place
        before (``zero_grad(set_to_none=False)`` flushes first).
        """
        pending, self._pending = self._deferred(), {}
        for bufs, grads, lr in pending.values():
            torch._foreach_copy_(bufs, grads)
            torch._foreach_mul_(bufs, -lr)

    def update(self, group, params, grads, states, iteration):
        lr = float(self.lr_eff(group, iteration))
        momentum = read(group["momentum"])
        bufs = [s["momentum_buffer"] for s in states]
        if momentum == 0:
            # v = -lr*g whatever m was, so p += v; storing m is deferred to flush()
            # (only get_weights/state_dict need it), keeping one op per step.
            torch._foreach_add_(params, grads, alpha=-lr)
            self._deferred()[id(group)] = (bufs, grads, lr)
            return
        momentum = float(momentum)
        self.flush()  # momentum was 0 until now: the moments must be real
        torch._foreach_mul_(bufs, momentum)           # v = momentum*m - lr*g; m <- v
        torch._foreach_add_(bufs, grads, alpha=-lr)
        if group["nesterov"]:                          # p <- p + momentum*v - lr*g
            torch._foreach_add_(params, bufs, alpha=momentum)
            torch._foreach_add_(params, grads, alpha=-lr)
        else:                                          # p <- p + v
            torch._foreach_add_(params, bufs)

    def zero_grad(self, set_to_none=True):
        if not set_to_none:
            self.flush()  # the deferred moments still point at these gradients
        super().zero_grad(set_to_none=set_to_none)

    def state_dict(self):
        self.flush()
        return super().state_dict()


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum."""
    torch_class = KerasSGD
    hyper_parameters = HYPER_PARAMETERS["SGD"]
    iterations_in_weights = True

    def weight_tensors(self):
        self.torch_optimizer.flush()  # moments deferred by momentum-0 steps become real
        return super().weight_tensors()
