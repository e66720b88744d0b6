"""Keras-1 Adagrad (semantics.md 6): ``a <- a + g^2``; ``p -= lr*g/(sqrt(a)+eps)``."""
import torch

from keras_compat._args.rules import Rename, keras1_method
from .base import KerasTorchOptimizer, Optimizer, variable


class KerasAdagrad(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adagrad maths (accumulator starts at 0).

    # Arguments
        params: parameters to optimise.
        lr, decay: numbers or 0-d tensors (read at every step).
        epsilon: fuzz factor.
        **kwargs: clipnorm, clipvalue, constraints, iterations (see base).
    """

    def __init__(self, params, lr=0.01, epsilon=1e-8, decay=0., **kwargs):
        super().__init__(params, dict(lr=lr, epsilon=epsilon, decay=decay), **kwargs)

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
    config_keys = ("lr", "decay", "epsilon")

    @keras1_method(Rename("learning_rate", "lr"))
    def __init__(self, lr=0.01, epsilon=1e-8, decay=0., **kwargs):
        super().__init__(**kwargs)
        self.lr, self.decay = variable(lr), variable(decay)
        self.epsilon = epsilon
        self.initial_decay = decay

    def torch_kwargs(self):
        return dict(lr=self.lr, epsilon=self.epsilon, decay=self.decay)

    def weight_tensors(self):
        return self.state_list("sum")
