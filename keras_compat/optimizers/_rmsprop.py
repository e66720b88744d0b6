"""Keras-1 RMSprop: ``a <- rho*a + (1-rho)*g^2``; ``p -= lr*g/(sqrt(a)+eps)``."""
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, f32, read


class KerasRMSprop(KerasTorchOptimizer):
    """torch optimizer with Keras-1 RMSprop maths (eps outside the sqrt, as torch).

    # Arguments
        params: parameters to optimise.
        lr, rho, decay: numbers or 0-d tensors (read at every step).
        epsilon: fuzz factor.
        clipnorm, clipvalue, constraints, iterations, initial_decay: see the base.
    """
    hyper_parameters = HYPER_PARAMETERS["RMSprop"]

    def init_state(self, p):
        return {"square_avg": torch.zeros_like(p, memory_format=torch.preserve_format)}

    def update(self, group, params, grads, states, iteration):
        lr = float(self.lr_eff(group, iteration))
        rho = read(group["rho"])
        acc = [s["square_avg"] for s in states]
        torch._foreach_mul_(acc, float(rho))
        # (1 - rho) rounded in float32, as Keras' graph computed it from the variable
        torch._foreach_addcmul_(acc, grads, grads, value=float(f32(1.) - rho))
        denom = torch._foreach_sqrt(acc)
        torch._foreach_add_(denom, group["epsilon"])
        torch._foreach_addcdiv_(params, grads, denom, value=-lr)


class RMSprop(Optimizer):
    """RMSProp optimizer (keep the defaults except lr, as Keras 1 advised).

    # Arguments
        lr: float >= 0, learning rate.
        rho: float >= 0, decay of the moving average of squared gradients.
        epsilon: float >= 0, fuzz factor.
        decay: float >= 0, learning rate decay over each update.
        **kwargs: clipnorm, clipvalue.
    """
    torch_class = KerasRMSprop
    hyper_parameters = HYPER_PARAMETERS["RMSprop"]

    def weight_tensors(self):
        # Keras 1 RMSprop.weights = accumulators only (iterations not saved).
        return self.state_list("square_avg")
