"""Keras-1 Nadam: Adam with Nesterov momentum and a momentum schedule.

No ``decay``; ``m_schedule`` (the running product of momentum caches) is a variable
of the optimizer but not one of its ``weights``.
"""
import torch

from .base import HYPER_PARAMETERS, KerasTorchOptimizer, Optimizer, f32, moving_average_, read


class KerasNadam(KerasTorchOptimizer):
    """torch optimizer with Keras-1 Nadam maths."""
    hyper_parameters = HYPER_PARAMETERS["Nadam"]
    state_names = ("exp_avg", "exp_avg_sq")
    extra_variables = {"m_schedule": 1.}
    always_count = True

    def prepare(self, iteration):
        b1, one = read(self.defaults["beta_1"]), f32(1.)
        t, sd = f32(iteration + 1.), f32(self.defaults["schedule_decay"])
        mu_t = b1 * (one - f32(0.5) * f32(0.96) ** (t * sd))
        mu_next = b1 * (one - f32(0.5) * f32(0.96) ** ((t + one) * sd))
        schedule = read(self.m_schedule) * mu_t  # S <- S * mu_t, once per step
        self.m_schedule.fill_(float(schedule))
        self._mu = (t, mu_t, mu_next, schedule, schedule * mu_next)

    def update(self, group, params, grads, states, iteration):
        b1, b2, one = read(group["beta_1"]), read(group["beta_2"]), f32(1.)
        t, mu_t, mu_next, schedule, schedule_next = self._mu
        ms = [s["exp_avg"] for s in states]
        vs = [s["exp_avg_sq"] for s in states]
        moving_average_(ms, grads, b1)
        moving_average_(vs, grads, b2, squared=True)
        # m_bar = (1 - mu_t) * g / (1 - S) + mu_next * m / (1 - S_next)
        m_bar = torch._foreach_mul(grads, float((one - mu_t) / (one - schedule)))
        torch._foreach_add_(m_bar, ms, alpha=float(mu_next / (one - schedule_next)))
        denom = torch._foreach_div(vs, float(one - b2 ** t))   # v_hat
        torch._foreach_sqrt_(denom)
        torch._foreach_add_(denom, group["epsilon"])
        torch._foreach_addcdiv_(params, m_bar, denom, value=-float(read(group["lr"])))


class Nadam(Optimizer):
    """Nesterov Adam optimizer (Dozat, 2015) with Keras-1 defaults."""
    torch_class = KerasNadam
    hyper_parameters = HYPER_PARAMETERS["Nadam"]
    iterations_in_weights = True
    extra_variables = {"m_schedule": 1.}
