"""Keras-1 Adam: eps is added *outside* an un-bias-corrected sqrt(v), with the bias
corrections folded into the step size, unlike ``torch.optim.Adam``."""
import numpy as np
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, f32, read


class KerasAdam(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adam maths.

    # Arguments
        params: parameters to optimise.
        lr, beta_1, beta_2, decay: numbers or 0-d tensors (read at every step).
        epsilon: fuzz factor.
        clipnorm, clipvalue, constraints, iterations, initial_decay: see the base.
    """
    hyper_parameters = HYPER_PARAMETERS["Adam"]
    always_count = True

    def init_state(self, p):
        return {"exp_avg": torch.zeros_like(p, memory_format=torch.preserve_format),
                "exp_avg_sq": torch.zeros_like(p, memory_format=torch.preserve_format)}

    def update(self, group, params, grads, states, iteration):
        b1, b2 = read(group["beta_1"]), read(group["beta_2"])
        t = f32(iteration + 1.)
        # float32 scalar arithmetic, as in Keras' graph
        lr_t = self.lr_eff(group, iteration) * (
            np.sqrt(f32(1.) - b2 ** t) / (f32(1.) - b1 ** t))
        ms = [s["exp_avg"] for s in states]
        vs = [s["exp_avg_sq"] for s in states]
        torch._foreach_mul_(ms, float(b1))
        torch._foreach_add_(ms, grads, alpha=float(f32(1.) - b1))
        torch._foreach_mul_(vs, float(b2))
        torch._foreach_addcmul_(vs, grads, grads, value=float(f32(1.) - b2))
        denom = torch._foreach_sqrt(vs)
        torch._foreach_add_(denom, group["epsilon"])
        torch._foreach_addcdiv_(params, ms, denom, value=-float(lr_t))


class Adam(Optimizer):
    """Adam optimizer (Kingma & Ba, 2014) with Keras-1 defaults.

    # Arguments
        lr: float >= 0, learning rate.
        beta_1, beta_2: floats, 0 < beta < 1, generally close to 1.
        epsilon: float >= 0, fuzz factor.
        decay: float >= 0, learning rate decay over each update.
        **kwargs: clipnorm, clipvalue.
    """
    torch_class = KerasAdam
    hyper_parameters = HYPER_PARAMETERS["Adam"]

    def weight_tensors(self):
        return [self.iterations] + self.state_list("exp_avg") + self.state_list("exp_avg_sq")
