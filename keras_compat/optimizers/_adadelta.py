"""Keras-1 Adadelta; ``rho`` is a plain number here, not a variable."""
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer


class KerasAdadelta(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adadelta maths."""
    hyper_parameters = HYPER_PARAMETERS["Adadelta"]
    state_names = ("square_avg", "acc_delta")

    def update(self, group, params, grads, states, iteration):
        lr = float(self.lr_eff(group, iteration))
        rho, eps = float(group["rho"]), group["epsilon"]
        acc = [s["square_avg"] for s in states]
        delta_acc = [s["acc_delta"] for s in states]
        torch._foreach_mul_(acc, rho)
        torch._foreach_addcmul_(acc, grads, grads, value=1. - rho)
        # u = g * sqrt(d + eps) / sqrt(a + eps), with the old d and the new a;
        # both sqrt arguments are >= eps, so never the slow all-zero sqrt.
        update = torch._foreach_add(delta_acc, eps)
        torch._foreach_sqrt_(update)
        torch._foreach_mul_(update, grads)
        std = torch._foreach_add(acc, eps)
        torch._foreach_sqrt_(std)
        torch._foreach_div_(update, std)
        torch._foreach_add_(params, update, alpha=-lr)
        torch._foreach_mul_(delta_acc, rho)
        torch._foreach_addcmul_(delta_acc, update, update, value=1. - rho)


class Adadelta(Optimizer):
    """Adadelta optimizer (keep the defaults, as Keras 1 advised; ``lr`` 1.0 is the original
    algorithm's)."""
    torch_class = KerasAdadelta
    hyper_parameters = HYPER_PARAMETERS["Adadelta"]
