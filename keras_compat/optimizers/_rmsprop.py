"""Keras-1 RMSprop: ``a <- rho*a + (1-rho)*g^2``; ``p -= lr*g/(sqrt(a)+eps)``."""
import torch

from .base import (HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, f32, read,
                   subtract_scaled_by_root)


class KerasRMSprop(KerasTorchOptimizer):
    """torch optimizer with Keras-1 RMSprop maths (eps outside the sqrt, as torch)."""
    hyper_parameters = HYPER_PARAMETERS["RMSprop"]
    state_names = ("square_avg",)

    def update(self, group, params, grads, states, iteration):
        lr = float(self.lr_eff(group, iteration))
        rho = read(group["rho"])
        acc = [s["square_avg"] for s in states]
        torch._foreach_mul_(acc, float(rho))
        # (1 - rho) rounded in float32, as Keras' graph computed it from the variable
        torch._foreach_addcmul_(acc, grads, grads, value=float(f32(1.) - rho))
        subtract_scaled_by_root(params, grads, acc, group["epsilon"], lr)


class RMSprop(Optimizer):
    """RMSProp optimizer (keep the defaults except lr, as Keras 1 advised)."""
    torch_class = KerasRMSprop
    hyper_parameters = HYPER_PARAMETERS["RMSprop"]
