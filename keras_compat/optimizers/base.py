"""Shared machinery of the Keras-1 optimizers (semantics.md section 6).

Two layers: ``KerasTorchOptimizer`` is a plain ``torch.optim.Optimizer`` doing the
update maths with multi-tensor (``torch._foreach_*``) ops; ``Optimizer`` is the
Keras-facing object (constructor, config, ``lr`` variable, ``get_weights``) that
creates one of those in ``bind``.
"""
import numpy as np
import torch

f32 = np.float32


def variable(value):
    """A 0-d CPU float32 tensor, our stand-in for a Keras-1 backend variable.

    CPU so that reading it once per step (``float(t)``) never synchronises a GPU.
    """
    if isinstance(value, torch.Tensor):
        return value.detach().to(device="cpu", dtype=torch.float32).reshape(())
    return torch.tensor(float(value), dtype=torch.float32)


def read(value):
    """Current value of a hyper-parameter (variable or number) as a float32 scalar,
    so that scalar coefficients are rounded as Keras' float32 graph rounded them."""
    return f32(float(value))


class KerasTorchOptimizer(torch.optim.Optimizer):
    """Base of the torch optimizers: gradient clipping, decay, constraints.

    Hyper-parameters in ``param_groups`` may be numbers or 0-d tensors; tensors are
    read at every step, so ``tensor.fill_`` changes the next update.

    # Arguments
        params: iterable of parameters (or param-group dicts).
        defaults: the subclass' hyper-parameters.
        clipnorm: rescale all gradients when their global L2 norm is >= clipnorm.
        clipvalue: then clip each gradient element to [-clipvalue, clipvalue].
        constraints: dict ``{param: fn}``; ``fn(new_param)`` is copied back after
            the update.
        iterations: 0-d tensor counting updates (shared with the Keras object).
        initial_decay: decides whether time decay applies (default: ``decay``).
    """
    # Adam/Adamax/Nadam count every step; the others only when decay > 0 (section 6).
    always_count = False

    def __init__(self, params, defaults, clipnorm=None, clipvalue=None,
                 constraints=None, iterations=None, initial_decay=None):
        super().__init__(params, defaults)
        self.clipnorm, self.clipvalue = clipnorm, clipvalue
        self.constraints = dict(constraints or {})
        self.iterations = variable(0.) if iterations is None else iterations
        # Keras 1 decides at graph-build time, from the *initial* decay, whether to
        # apply time decay at all; a decay set to non-zero later has no effect.
        if initial_decay is None:
            initial_decay = defaults.get("decay", 0.)
        self.initial_decay = float(initial_decay)
        for group in self.param_groups:  # Keras creates its state up front
            for p in group["params"]:
                self._state(p)

    def init_state(self, p):
        """Dict of fresh state tensors for parameter ``p``."""
        raise NotImplementedError

    def update(self, group, params, grads, states, iteration):
        """Apply one update to ``params`` (all with gradients) of one group."""
        raise NotImplementedError

    def prepare(self, iteration):
        """Per-step work shared by all groups (once per step, before ``update``)."""

    def _state(self, p):
        state = self.state[p]
        if not state:
            state.update(self.init_state(p))
        return state

    def lr_eff(self, group, iteration):
        """``lr / (1 + decay * iterations)`` in float32, iterations before increment."""
        lr = read(group["lr"])
        if self.initial_decay > 0:
            lr = lr * (f32(1.) / (f32(1.) + read(group["decay"]) * f32(iteration)))
        return lr

    def clip(self, grads):
        # In place on p.grad: the gradients are discarded after the step anyway.
        if not grads:
            return
        if self.clipnorm is not None and self.clipnorm > 0:
            # One global norm over all parameters, rescaled only when N >= clipnorm;
            # torch.where keeps the decision on the device (no sync).
            device = grads[0].device
            norms = [n.to(device) for n in torch._foreach_norm(grads)]
            total = torch.linalg.vector_norm(torch.stack(norms))
            scale = torch.where(total >= self.clipnorm, self.clipnorm / total,
                                torch.ones_like(total))
            torch._foreach_mul_(grads, scale)
        if self.clipvalue is not None and self.clipvalue > 0:
            torch._foreach_clamp_min_(grads, -self.clipvalue)
            torch._foreach_clamp_max_(grads, self.clipvalue)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        iteration = float(self.iterations)
        work = []
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            work.append((group, params, [p.grad for p in params]))
        self.clip([g for _, _, grads in work for g in grads])
        self.prepare(iteration)
        for group, params, grads in work:
            if params:
                self.update(group, params, grads, [self._state(p) for p in params], iteration)
                if self.constraints:
                    # Keras applies constraints to the freshly updated value.
                    for p in params:
                        fn = self.constraints.get(p)
                        if fn is not None:
                            p.copy_(fn(p))
        if self.always_count or self.initial_decay > 0:
            self.iterations.add_(1.)
        return loss

    def state_dict(self):
        sd = super().state_dict()
        sd["iterations"] = self.iterations.clone()
        return sd

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        iterations = state_dict.pop("iterations", None)
        old = [dict(g) for g in self.param_groups]
        super().load_state_dict(state_dict)
        # Keep hyper-parameter tensors shared with the Keras object: copy values in.
        for before, group in zip(old, self.param_groups):
            for key, value in before.items():
                if isinstance(value, torch.Tensor) and key != "params":
                    value.fill_(float(group[key]))
                    group[key] = value
        if iterations is not None:
            self.iterations.fill_(float(iterations))


_CLIP_ARGS = ("clipnorm", "clipvalue")


class Optimizer(object):
    """Keras-1 optimizer base: holds hyper-parameters, builds the torch optimizer.

    # Arguments
        clipnorm: float >= 0; gradients are rescaled when their global norm
            reaches it.
        clipvalue: float >= 0; gradients are clipped element-wise to
            [-clipvalue, clipvalue].
    """
    torch_class = None
    # Hyper-parameters reported by get_config, in Keras-1 order.
    config_keys = ()

    def __init__(self, **kwargs):
        for key in kwargs:
            if key not in _CLIP_ARGS:
                raise TypeError("%s got an unexpected keyword argument %r; Keras-1 "
                                "optimizers accept only clipnorm and clipvalue"
                                % (type(self).__name__, key))
        self.clipnorm = kwargs.get("clipnorm")
        self.clipvalue = kwargs.get("clipvalue")
        self.iterations = variable(0.)
        self.torch_optimizer = None

    def torch_kwargs(self):
        """Keyword arguments for ``torch_class`` (the variables are passed shared)."""
        raise NotImplementedError

    def weight_tensors(self):
        """State tensors in Keras-1 ``optimizer.weights`` order (after bind)."""
        raise NotImplementedError

    def bind(self, params, constraints=None):
        """Create the state for ``params`` (trainable parameters in Keras-1 order).

        # Arguments
            params: list of torch Parameters, sorted as Keras 1 sorted them.
            constraints: optional dict ``{param: callable}`` applied after updates.
        """
        # The variables are passed by reference, so K.set_value on them reaches the
        # update; a plain number assigned to e.g. ``opt.lr`` also works (as a constant).
        kwargs = self.torch_kwargs()
        if not isinstance(self.iterations, torch.Tensor):
            self.iterations = variable(self.iterations)
        if hasattr(self, "initial_decay"):
            kwargs["initial_decay"] = self.initial_decay
        self.torch_optimizer = self.torch_class(
            list(params), clipnorm=self.clipnorm, clipvalue=self.clipvalue,
            constraints=constraints, iterations=self.iterations, **kwargs)
        return self

    def state_list(self, key):
        """``state[p][key]`` for every bound parameter, in parameter order."""
        opt = self.torch_optimizer
        return [opt.state[p][key] for g in opt.param_groups for p in g["params"]]

    def _bound(self):
        if self.torch_optimizer is None:
            raise RuntimeError("%s has no state yet: call bind(params) (model.compile "
                               "does) first" % type(self).__name__)
        return self.torch_optimizer

    def step(self):
        """Apply one update from the parameters' ``.grad``."""
        self._bound().step()

    def zero_grad(self):
        """Drop the gradients (set them to None)."""
        self._bound().zero_grad(set_to_none=True)

    def state_dict(self):
        return self._bound().state_dict()

    def load_state_dict(self, state_dict):
        self._bound().load_state_dict(state_dict)

    @property
    def weights(self):
        """Keras-1 ``optimizer.weights`` (empty before bind, as before compile)."""
        return [] if self.torch_optimizer is None else self.weight_tensors()

    def get_weights(self):
        """List of numpy arrays, in ``weights`` order."""
        return [t.detach().cpu().numpy().copy() for t in self.weights]

    def set_weights(self, weights):
        """Set the state from a list of numpy arrays (as ``get_weights`` returns)."""
        targets = self.weights
        if len(weights) != len(targets):
            raise ValueError("Length of the specified weight list (%d) does not match "
                             "the number of weights of optimizer (%d)"
                             % (len(weights), len(targets)))
        for target, value in zip(targets, weights):
            value = np.asarray(value)
            if tuple(value.shape) != tuple(target.shape):
                raise ValueError("Optimizer weight shape %s not compatible with provided "
                                 "weight shape %s" % (tuple(target.shape), value.shape))
        with torch.no_grad():
            for target, value in zip(targets, weights):
                target.copy_(torch.as_tensor(np.asarray(value), dtype=target.dtype))

    def get_config(self):
        config = {}
        if self.clipnorm is not None:
            config["clipnorm"] = self.clipnorm
        if self.clipvalue is not None:
            config["clipvalue"] = self.clipvalue
        for key in self.config_keys:
            value = getattr(self, key)
            # Variables report their float32-rounded value, as Keras' K.get_value did.
            config[key] = float(value) if isinstance(value, torch.Tensor) else value
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % item for item in self.get_config().items()))
