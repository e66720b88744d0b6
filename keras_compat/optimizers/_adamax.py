"""Keras-1 Adamax: Adam with the infinity norm, ``u <- max(b2*u, |g|)``."""
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, f32, moving_average_, read


class KerasAdamax(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adamax maths."""
    hyper_parameters = HYPER_PARAMETERS["Adamax"]
    state_names = ("exp_avg", "exp_inf")
    always_count = True

    def update(self, group, params, grads, states, iteration):
        b1, b2 = read(group["beta_1"]), read(group["beta_2"])
        lr_t = self.lr_eff(group, iteration) / (f32(1.) - b1 ** f32(iteration + 1.))
        ms = [s["exp_avg"] for s in states]
        us = [s["exp_inf"] for s in states]
        moving_average_(ms, grads, b1)
        torch._foreach_mul_(us, float(b2))
        torch._foreach_maximum_(us, torch._foreach_abs(grads))
        denom = torch._foreach_add(us, group["epsilon"])
        torch._foreach_addcdiv_(params, ms, denom, value=-float(lr_t))


class Adamax(Optimizer):
    """Adamax optimizer (section 7 of the Adam paper), with Keras-1 defaults."""
    torch_class = KerasAdamax
    hyper_parameters = HYPER_PARAMETERS["Adamax"]
    iterations_in_weights = True
