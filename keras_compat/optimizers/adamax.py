"""Keras-1 Adamax (semantics.md 6): Adam with the infinity norm, ``u <- max(b2*u, |g|)``."""
import torch

from keras_compat._args.rules import Rename, keras1_method
from .base import KerasTorchOptimizer, Optimizer, f32, read, variable


class KerasAdamax(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adamax maths.

    # Arguments
        params: parameters to optimise.
        lr, beta_1, beta_2, decay: numbers or 0-d tensors (read at every step).
        epsilon: fuzz factor.
        **kwargs: clipnorm, clipvalue, constraints, iterations (see base).
    """
    always_count = True

    def __init__(self, params, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, decay=0.,
                 **kwargs):
        super().__init__(params, dict(lr=lr, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                                      decay=decay), **kwargs)

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
    config_keys = ("lr", "beta_1", "beta_2", "decay", "epsilon")

    @keras1_method(Rename("learning_rate", "lr"))
    def __init__(self, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, decay=0., **kwargs):
        super().__init__(**kwargs)
        self.lr, self.decay = variable(lr), variable(decay)
        self.beta_1, self.beta_2 = variable(beta_1), variable(beta_2)
        self.epsilon = epsilon
        self.initial_decay = decay

    def torch_kwargs(self):
        return dict(lr=self.lr, beta_1=self.beta_1, beta_2=self.beta_2,
                    epsilon=self.epsilon, decay=self.decay)

    def weight_tensors(self):
        # Keras 1: [iterations] + ms + us
        return [self.iterations] + self.state_list("exp_avg") + self.state_list("exp_inf")
