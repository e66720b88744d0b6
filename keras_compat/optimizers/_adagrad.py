"""Keras-1 Adagrad: ``a <- a + g^2``; ``p -= lr*g/(sqrt(a)+eps)``."""
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer


class KerasAdagrad(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adagrad maths (accumulator starts at 0).

    # Arguments
        params: parameters to optimise.
        lr, decay: numbers or 0-d tensors (read at every step).
        epsilon: fuzz factor.
        clipnorm, clipvalue, constraints, iterations, initial_decay: see the base.
    """
    hyper_parameters = HYPER_PARAMETERS["Adagrad"]

    def init_state(self, p):
        return {"sum": torch.zeros_like(p, memory_format=torch.preserve_format)}

    def update(self, group, params, grads, states, iteration):
        lr = float(self.lr_eff(group, iteration))
        acc = [s["sum"] for s in states]
        torch._foreach_addcmul_(acc, grads, grads)
        denom = torch._foreach_sqrt(acc)
        torch._foreach_add_(denom, group["epsilon"])
        torch._foreach_addcdiv_(params, grads, denom, value=-lr)


class Adagrad(Optimizer):
    """Adagrad optimizer (keep the defaults, as Keras 1 advised).

    # Arguments
        lr: float >= 0, learning rate.
        epsilon: float >= 0, fuzz factor.
        decay: float >= 0, learning rate decay over each update.
        **kwargs: clipnorm, clipvalue.
    """
    torch_class = KerasAdagrad
    hyper_parameters = HYPER_PARAMETERS["Adagrad"]

    def weight_tensors(self):
        return self.state_list("sum")
