"""Keras-1 Adadelta (semantics.md 6); ``rho`` is a plain number here, not a variable."""
import torch

from keras_compat._args.rules import Rename, keras1_method
from .base import KerasTorchOptimizer, Optimizer, variable


class KerasAdadelta(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adadelta maths.

    # Arguments
        params: parameters to optimise.
        lr, decay: numbers or 0-d tensors (read at every step).
        rho, epsilon: numbers.
        **kwargs: clipnorm, clipvalue, constraints, iterations (see base).
    """

    def __init__(self, params, lr=1.0, rho=0.95, epsilon=1e-8, decay=0., **kwargs):
        super().__init__(params, dict(lr=lr, rho=rho, epsilon=epsilon, decay=decay), **kwargs)

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
    config_keys = ("lr", "rho", "decay", "epsilon")

    @keras1_method(Rename("learning_rate", "lr"))
    def __init__(self, lr=1.0, rho=0.95, epsilon=1e-8, decay=0., **kwargs):
        super().__init__(**kwargs)
        self.lr, self.decay = variable(lr), variable(decay)
        self.rho, self.epsilon = rho, epsilon
        self.initial_decay = decay

    def torch_kwargs(self):
        return dict(lr=self.lr, rho=self.rho, epsilon=self.epsilon, decay=self.decay)

    def weight_tensors(self):
        # Keras 1: accumulators + delta_accumulators (no iterations).
        return self.state_list("square_avg") + self.state_list("acc_delta")
