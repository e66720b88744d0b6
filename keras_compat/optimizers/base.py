"""Shared machinery of the Keras-1 optimizers.

Two layers: ``KerasTorchOptimizer`` is a plain ``torch.optim.Optimizer`` doing the
update maths with multi-tensor (``torch._foreach_*``) ops (Adam, RMSprop and Adagrad with
torch's one-pass fused kernels where they apply, ``_fused_kernels``); ``Optimizer`` is the
Keras-facing object (constructor, config, ``lr`` variable, ``get_weights``) that
creates one of those in ``bind``.

Both take their hyper-parameters from one declared table, ``HYPER_PARAMETERS``: the
constructors' signatures, the constructor check, ``get_config`` and which attributes are
variables (``K.get_value(opt.lr)``) all come from it.
"""
import collections
import inspect

import numpy as np
import torch

from keras_compat._args.rules import Rename, keras1_method

f32 = np.float32

VARIABLE, NUMBER = True, False


class HyperParameter(collections.namedtuple("HyperParameter", "name default variable")):
    """One constructor argument of a Keras-1 optimizer: its name (also its ``get_config``
    key), its Keras 1.2.2 default, and whether Keras 1 held it in a backend variable
    (``VARIABLE``: ``K.get_value(opt.lr)``/``K.set_value`` work and the update reads the
    current value at every step) or kept the plain number (``NUMBER``)."""


class HyperParameters(collections.namedtuple("HyperParameters", "rows config_keys")):
    """An optimizer's hyper-parameters: ``rows`` in Keras-1 constructor order, and the keys
    of its ``get_config`` in Keras 1's order (which is not always the constructor's)."""

    @property
    def names(self):
        return tuple(row.name for row in self.rows)


def _table(*rows, config_keys=None):
    rows = tuple(HyperParameter(*row) for row in rows)
    return HyperParameters(rows, tuple(config_keys or (row.name for row in rows)))


# Keras 1.2.2's optimizers: constructor arguments, defaults, variable or plain number, and
# get_config order.
HYPER_PARAMETERS = {
    "SGD": _table(("lr", 0.01, VARIABLE), ("momentum", 0., VARIABLE), ("decay", 0., VARIABLE),
                  ("nesterov", False, NUMBER)),
    "RMSprop": _table(("lr", 0.001, VARIABLE), ("rho", 0.9, VARIABLE),
                      ("epsilon", 1e-8, NUMBER), ("decay", 0., VARIABLE),
                      config_keys=("lr", "rho", "decay", "epsilon")),
    "Adagrad": _table(("lr", 0.01, VARIABLE), ("epsilon", 1e-8, NUMBER), ("decay", 0., VARIABLE),
                      config_keys=("lr", "decay", "epsilon")),
    "Adadelta": _table(("lr", 1.0, VARIABLE), ("rho", 0.95, NUMBER), ("epsilon", 1e-8, NUMBER),
                       ("decay", 0., VARIABLE), config_keys=("lr", "rho", "decay", "epsilon")),
    "Adam": _table(("lr", 0.001, VARIABLE), ("beta_1", 0.9, VARIABLE),
                   ("beta_2", 0.999, VARIABLE), ("epsilon", 1e-8, NUMBER),
                   ("decay", 0., VARIABLE),
                   config_keys=("lr", "beta_1", "beta_2", "decay", "epsilon")),
    "Adamax": _table(("lr", 0.002, VARIABLE), ("beta_1", 0.9, VARIABLE),
                     ("beta_2", 0.999, VARIABLE), ("epsilon", 1e-8, NUMBER),
                     ("decay", 0., VARIABLE),
                     config_keys=("lr", "beta_1", "beta_2", "decay", "epsilon")),
    "Nadam": _table(("lr", 0.002, VARIABLE), ("beta_1", 0.9, VARIABLE),
                    ("beta_2", 0.999, VARIABLE), ("epsilon", 1e-8, NUMBER),
                    ("schedule_decay", 0.004, NUMBER)),
}

# What each hyper-parameter means, for the generated ``# Arguments`` of the docstrings.
_MEANING = {
    "lr": "float >= 0, learning rate",
    "momentum": "float >= 0, parameter update momentum",
    "decay": "float >= 0, learning rate decay over each update",
    "nesterov": "boolean, whether to apply Nesterov momentum",
    "rho": "float >= 0, decay of the moving averages",
    "epsilon": "float >= 0, fuzz factor",
    "beta_1": "float, 0 < beta_1 < 1 (generally close to 1), decay of the first moment",
    "beta_2": "float, 0 < beta_2 < 1 (generally close to 1), decay of the second moment",
    "schedule_decay": "float, decay of the momentum schedule",
}


def _with_arguments(doc, lines):
    return "%s\n\n    # Arguments\n%s\n    " % ((doc or "").rstrip(), "\n".join(
        "        " + line for line in lines))


def _keras_arguments(table):
    return ["%s: %s (default %r)." % (row.name, _MEANING[row.name], row.default)
            for row in table.rows] + ["**kwargs: clipnorm, clipvalue."]


def _torch_arguments(table, extra_variables):
    variables = [row.name for row in table.rows if row.variable]
    numbers = [row.name for row in table.rows if not row.variable]
    lines = ["params: parameters to optimise."]
    if variables:
        lines.append("%s: numbers or 0-d tensors (read at every step)." % ", ".join(variables))
    if numbers:
        lines.append("%s: numbers." % ", ".join(numbers))
    lines += ["%s: optional 0-d tensor (a fresh one starting at %r by default)." % item
              for item in extra_variables.items()]
    return lines + ["clipnorm, clipvalue, constraints, iterations, initial_decay: see the base."]


_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD


def _constructor(cls, leading, rows, trailing, construct):
    """An ``__init__`` for ``cls`` with the signature ``(self, *leading, <rows with their
    defaults>, *trailing)``; it binds its arguments to that signature and hands the
    resulting dict to ``construct(self, arguments)``."""
    signature = inspect.Signature(
        [inspect.Parameter(name, _POSITIONAL) for name in ("self",) + leading]
        + [inspect.Parameter(row.name, _POSITIONAL, default=row.default) for row in rows]
        + list(trailing))

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        del arguments["self"]
        construct(self, arguments)

    __init__.__signature__ = signature
    __init__.__qualname__ = cls.__qualname__ + ".__init__"
    __init__.__module__ = cls.__module__
    return __init__


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


def moving_average_(averages, values, decay, squared=False):
    """``average <- decay * average + (1 - decay) * value`` (``value ** 2`` when ``squared``)
    in place for every parameter; ``decay`` a float32 scalar, ``1 - decay`` rounded in float32
    as Keras' graph computed it."""
    torch._foreach_mul_(averages, float(decay))
    if squared:
        torch._foreach_addcmul_(averages, values, values, value=float(f32(1.) - decay))
    else:
        torch._foreach_add_(averages, values, alpha=float(f32(1.) - decay))


def subtract_scaled_by_root(params, numerators, accumulators, epsilon, step):
    """``p -= step * numerator / (sqrt(accumulator) + epsilon)`` for every parameter: the
    update of Adagrad, RMSprop and Adam, with Keras 1's epsilon outside the root."""
    denom = torch._foreach_sqrt(accumulators)
    torch._foreach_add_(denom, epsilon)
    torch._foreach_addcdiv_(params, numerators, denom, value=-step)


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
    # Adam/Adamax/Nadam count every step; the others only when decay > 0, as in Keras 1.
    always_count = False
    # A subclass that declares its HyperParameters gets the constructor
    # ``(params, <hyper-parameters>, clipnorm=None, clipvalue=None, constraints=None,
    # iterations=None, initial_decay=None)`` made from them.
    hyper_parameters = None
    # Per-parameter state tensors (Keras 1 created them all, as zeros, at compile), in the
    # order of Keras 1's ``optimizer.weights``.
    state_names = ()
    # 0-d tensors of the update that are no hyper-parameters (Nadam's m_schedule): name ->
    # initial value; each is a keyword-only constructor argument (default: a fresh variable).
    extra_variables = {}

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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "hyper_parameters" in vars(cls) and "__init__" not in vars(cls):
            trailing = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None)
                        for name in tuple(cls.extra_variables) + _TORCH_ARGS]
            cls.__init__ = _constructor(cls, ("params",), cls.hyper_parameters.rows, trailing,
                                        _construct_torch_optimizer)
            cls.__doc__ = _with_arguments(cls.__doc__, _torch_arguments(cls.hyper_parameters,
                                                                        cls.extra_variables))

    def init_state(self, p):
        """Dict of fresh state tensors for parameter ``p``: zeros for each ``state_names``."""
        return {name: torch.zeros_like(p, memory_format=torch.preserve_format)
                for name in self.state_names}

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


_TORCH_ARGS = ("clipnorm", "clipvalue", "constraints", "iterations", "initial_decay")


def _construct_torch_optimizer(self, arguments):
    params = arguments.pop("params")
    rest = {name: arguments.pop(name) for name in _TORCH_ARGS}
    for name, initial in self.extra_variables.items():
        given = arguments.pop(name)
        setattr(self, name, variable(initial) if given is None else given)
    KerasTorchOptimizer.__init__(self, params, arguments, **rest)


_CLIP_ARGS = ("clipnorm", "clipvalue")


def _construct_optimizer(self, arguments):
    Optimizer.__init__(self, **arguments.pop("kwargs"), **arguments)


class Optimizer(object):
    """Keras-1 optimizer base: holds hyper-parameters, builds the torch optimizer.

    # Arguments
        clipnorm: float >= 0; gradients are rescaled when their global norm
            reaches it.
        clipvalue: float >= 0; gradients are clipped element-wise to
            [-clipvalue, clipvalue].
    """
    torch_class = None
    # The table row (HYPER_PARAMETERS) of a built-in optimizer; a subclass that declares it
    # gets the Keras-1 constructor ``(<hyper-parameters>, **kwargs)`` made from it.
    hyper_parameters = HyperParameters((), ())
    # Variables of the optimizer that are not constructor arguments (Nadam's m_schedule):
    # name -> initial value; created with the object and passed to ``torch_class``.
    extra_variables = {}
    # Whether Keras 1 saved ``iterations`` as the first of the optimizer's weights.
    iterations_in_weights = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "hyper_parameters" in vars(cls) and "__init__" not in vars(cls):
            trailing = [inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)]
            constructor = _constructor(cls, (), cls.hyper_parameters.rows, trailing,
                                       _construct_optimizer)
            cls.__init__ = keras1_method(Rename("learning_rate", "lr"))(constructor)
            cls.__doc__ = _with_arguments(cls.__doc__, _keras_arguments(cls.hyper_parameters))

    def __init__(self, **kwargs):
        values = {row.name: kwargs.pop(row.name, row.default)
                  for row in self.hyper_parameters.rows}
        for key in kwargs:
            if key not in _CLIP_ARGS:
                raise TypeError("%s got an unexpected keyword argument %r; Keras-1 "
                                "optimizers accept only clipnorm and clipvalue"
                                % (type(self).__name__, key))
        self.clipnorm = kwargs.get("clipnorm")
        self.clipvalue = kwargs.get("clipvalue")
        self.iterations = variable(0.)
        self.torch_optimizer = None
        for row in self.hyper_parameters.rows:
            value = values[row.name]
            setattr(self, row.name, variable(value) if row.variable else value)
        for name, value in self.extra_variables.items():
            setattr(self, name, variable(value))
        if "decay" in values:
            # Keras 1 decides from the decay given here whether time decay applies at all.
            self.initial_decay = values["decay"]

    @property
    def config_keys(self):
        """Hyper-parameters reported by get_config, in Keras-1 order."""
        return self.hyper_parameters.config_keys

    def torch_kwargs(self):
        """Keyword arguments for ``torch_class``: the hyper-parameters and extra variables
        (the variables are passed shared, so ``K.set_value`` reaches the update)."""
        names = self.hyper_parameters.names + tuple(self.extra_variables)
        return {name: getattr(self, name) for name in names}

    def weight_tensors(self):
        """State tensors in Keras-1 ``optimizer.weights`` order (after bind): ``iterations``
        where Keras 1 listed it, then each of the torch optimizer's ``state_names`` for every
        parameter."""
        head = [self.iterations] if self.iterations_in_weights else []
        return head + [tensor for name in self.torch_class.state_names
                       for tensor in self.state_list(name)]

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
