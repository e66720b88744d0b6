"""Keras-1 Adam: eps is added *outside* an un-bias-corrected sqrt(v), with the bias
corrections folded into the step size, unlike ``torch.optim.Adam``."""
import numpy as np

from . import _fused_kernels
from .base import (HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, f32, moving_average_, read,
                   subtract_scaled_by_root)


class KerasAdam(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Adam maths."""
    hyper_parameters = HYPER_PARAMETERS["Adam"]
    state_names = ("exp_avg", "exp_avg_sq")
    always_count = True

    def update(self, group, params, grads, states, iteration):
        b1, b2 = read(group["beta_1"]), read(group["beta_2"])
        t = f32(iteration + 1.)
        # float32 scalar arithmetic, as in Keras' graph
        lr_t = self.lr_eff(group, iteration) * (
            np.sqrt(f32(1.) - b2 ** t) / (f32(1.) - b1 ** t))
        ms = [s["exp_avg"] for s in states]
        vs = [s["exp_avg_sq"] for s in states]
        if _fused_kernels.adam_step(params, grads, ms, vs, lr=float(lr_t), beta1=b1, beta2=b2,
                                    epsilon=group["epsilon"]):
            return
        moving_average_(ms, grads, b1)
        moving_average_(vs, grads, b2, squared=True)
        subtract_scaled_by_root(params, ms, vs, group["epsilon"], float(lr_t))


class Adam(Optimizer):
    """Adam optimizer (Kingma & Ba, 2014) with Keras-1 defaults."""
    torch_class = KerasAdam
    hyper_parameters = HYPER_PARAMETERS["Adam"]
    iterations_in_weights = True
