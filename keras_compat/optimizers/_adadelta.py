"""Keras-1 Adadelta; ``rho`` is a plain number here, not a variable."""
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer


class KerasAdadelta(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adadelta maths.

    # Arguments
        params: parameters to optimise.
        lr, decay: numbers or 0-d tensors (read at every step).
        rho, epsilon: numbers.
        clipnorm, clipvalue, constraints, iterations, initial_decay: see the base.
    """
    hyper_parameters = HYPER_PARAMETERS["Adadelta"]

    def init_state(self, p):
        return {"square_avg": torch.zeros_like(p, memory_format=torch.preserve_format),
                "acc_delta": torch.zeros_like(p, memory_format=torch.preserve_format)}

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
    """Adadelta optimizer (keep the defaults, as Keras 1 advised).

    # Arguments
        lr: float >= 0, learning rate (1.0 in the original algorithm).
        rho: float >= 0, decay of the moving averages.
        epsilon: float >= 0, fuzz factor.
        decay: float >= 0, learning rate decay over each update.
        **kwargs: clipnorm, clipvalue.
    """
    torch_class = KerasAdadelta
    hyper_parameters = HYPER_PARAMETERS["Adadelta"]

    def weight_tensors(self):
        # Keras 1: accumulators + delta_accumulators (no iterations).
        return self.state_list("square_avg") + self.state_list("acc_delta")
