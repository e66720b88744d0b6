"""Keras-1 Adamax: Adam with the infinity norm, ``u <- max(b2*u, |g|)``."""
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, f32, read


class KerasAdamax(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adamax maths.

    # Arguments
        params: parameters to optimise.
        lr, beta_1, beta_2, decay: numbers or 0-d tensors (read at every step).
        epsilon: fuzz factor.
        clipnorm, clipvalue, constraints, iterations, initial_decay: see the base.
    """
    hyper_parameters = HYPER_PARAMETERS["Adamax"]
    always_count = True

    def init_state(self, p):
        return {"exp_avg": torch.zeros_like(p, memory_format=torch.preserve_format),
                "exp_inf": torch.zeros_like(p, memory_format=torch.preserve_format)}

    def update(self, group, params, grads, states, iteration):
        b1, b2 = read(group["beta_1"]), read(group["beta_2"])
        lr_t = self.lr_eff(group, iteration) / (f32(1.) - b1 ** f32(iteration + 1.))
        ms = [s["exp_avg"] for s in states]
        us = [s["exp_inf"] for s in states]
        torch._foreach_mul_(ms, float(b1))
        torch._foreach_add_(ms, grads, alpha=float(f32(1.) - b1))
        torch._foreach_mul_(us, float(b2))
        torch._foreach_maximum_(us, torch._foreach_abs(grads))
        denom = torch._foreach_add(us, group["epsilon"])
        torch._foreach_addcdiv_(params, ms, denom, value=-float(lr_t))


class Adamax(Optimizer):
    """Adamax optimizer (section 7 of the Adam paper), with Keras-1 defaults.

    # Arguments
        lr: float >= 0, learning rate.
        beta_1, beta_2: floats, 0 < beta < 1, generally close to 1.
        epsilon: float >= 0, fuzz factor.
        decay: float >= 0, learning rate decay over each update.
        **kwargs: clipnorm, clipvalue.
    """
    torch_class = KerasAdamax
    hyper_parameters = HYPER_PARAMETERS["Adamax"]

    def weight_tensors(self):
        # Keras 1: [iterations] + ms + us
        return [self.iterations] + self.state_list("exp_avg") + self.state_list("exp_inf")
