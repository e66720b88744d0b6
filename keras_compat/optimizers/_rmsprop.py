"""Keras-1 RMSprop: ``a <- rho*a + (1-rho)*g^2``; ``p -= lr*g/(sqrt(a)+eps)``."""

from . import _fused_kernels
from .base import (HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, moving_average_, read,
                   subtract_scaled_by_root)


class KerasRMSprop(KerasTorchOptimizer):
    """torch optimizer with Keras-1 RMSprop maths (eps outside the sqrt, as torch)."""
    hyper_parameters = HYPER_PARAMETERS["RMSprop"]
    state_names = ("square_avg",)

    def update(self, group, params, grads, states, iteration):
        lr = float(self.lr_eff(group, iteration))
        acc = [s["square_avg"] for s in states]
        if _fused_kernels.rmsprop_step(params, grads, acc, lr=lr, rho=read(group["rho"]),
                                       epsilon=group["epsilon"]):
            return
        moving_average_(acc, grads, read(group["rho"]), squared=True)
        subtract_scaled_by_root(params, grads, acc, group["epsilon"], lr)


class RMSprop(Optimizer):
    """RMSProp optimizer (keep the defaults except lr, as Keras 1 advised)."""
    torch_class = KerasRMSprop
    hyper_parameters = HYPER_PARAMETERS["RMSprop"]
