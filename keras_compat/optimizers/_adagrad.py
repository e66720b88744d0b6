"""Keras-1 Adagrad: ``a <- a + g^2``; ``p -= lr*g/(sqrt(a)+eps)``."""
import torch

from . import _fused_kernels
from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, subtract_scaled_by_root


class KerasAdagrad(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adagrad maths (accumulator starts at 0)."""
    hyper_parameters = HYPER_PARAMETERS["Adagrad"]
    state_names = ("sum",)

    def update(self, group, params, grads, states, iteration):
        lr = float(self.lr_eff(group, iteration))
        acc = [s["sum"] for s in states]
        if _fused_kernels.adagrad_step(params, grads, acc, lr=lr, epsilon=group["epsilon"]):
            return
        torch._foreach_addcmul_(acc, grads, grads)
        subtract_scaled_by_root(params, grads, acc, group["epsilon"], lr)


class Adagrad(Optimizer):
    """Adagrad optimizer (keep the defaults, as Keras 1 advised)."""
    torch_class = KerasAdagrad
    hyper_parameters = HYPER_PARAMETERS["Adagrad"]
