"""``TorchModule``: any ``torch.nn.Module`` as a Keras-1 layer.

The wrapped module is a child of the layer, so its parameters are the model's: ``fit``
trains them, ``save_weights``/``load_weights`` (``.h5`` and ``.pt``) store and restore them,
``summary()`` counts them. ``Sequential.add(module)`` with a bare module wraps it here.

Configs ("files are data", as for ``Lambda``): a torch module is code, and a model file
must never choose code to import or run. ``get_config`` records the module's class
(``{'module': ..., 'name': ...}``, for messages and the explicit opt-in) and a token naming
the live module in this process; ``from_config`` gets the module, in this order, from

* ``custom_objects``: under the layer's name (that module object is used), or under the
  class's qualified name or short name (a module there is deep-copied for each layer; a
  class or any other callable is called with no arguments);
* this process: a config this process wrote (the token) gets a deep copy of the module it
  was written from, so a model saved and loaded back in one script needs nothing more;
* ``safe_mode=False``: the recorded class is imported and called with no arguments.

Anything else is refused with an error that names the layer, the class and these ways.
The weights always come from the weights file, never from the module's construction.
"""
import copy
import importlib
import itertools
import secrets
import sys
import weakref

import torch

from keras_compat.engine.layer import Layer, WeightSpec

# Probe sizes for axes whose length the input shape leaves unknown: an axis of the output
# that differs between the two runs depends on them and is unknown (None) too.
_PROBE_SIZES = (2, 3)

# Modules whose output depends on train/eval mode (for ``uses_learning_phase``).
_PHASE_DEPENDENT = (torch.nn.modules.dropout._DropoutNd, torch.nn.modules.batchnorm._NormBase)

# token -> the module a config of this process was written from (see the module doc).
_PROCESS_SALT = secrets.token_hex(8)
_TOKENS = itertools.count(1)
_MODULES_BY_TOKEN = weakref.WeakValueDictionary()


def class_reference(module):
    """``{'module': ..., 'name': ...}`` of a torch module's class (informational in a config)."""
    cls = type(module)
    return {"module": cls.__module__, "name": cls.__qualname__}


def _dotted(reference):
    return "%s.%s" % (reference.get("module"), reference.get("name"))


class _NotOneTensor(Exception):
    """The module ran on meta tensors but did not return one tensor."""


def _shapes(input_shape):
    """The input shapes as a list: one, or one per input of a call on a list of tensors."""
    if input_shape and isinstance(input_shape[0], (tuple, list)):
        return [tuple(shape) for shape in input_shape]
    return [tuple(input_shape)]


def _meta_input(shape, size, dtype):
    return torch.empty(tuple(size if d is None else int(d) for d in shape), dtype=dtype,
                       device="meta")


class TorchModule(Layer):
    """Wraps a ``torch.nn.Module`` as a layer: ``output = module(x)`` (``module(*xs)`` on a
    list of inputs).

    # Arguments
        module: the ``torch.nn.Module`` (not a Keras layer); the layer uses that object
            itself, so training the model trains it.
        output_shape: optional output shape without the batch axis. When None, it is
            inferred by running the module on meta-device tensors (no memory, no compute)
            when the layer is added to a model; pass it for modules that cannot run on the
            meta device (those reading tensor values with ``.item()``, ``.numpy()`` or
            Python conditions on data).
        weights: optional initial weights, as ``set_weights`` takes them.

    # Torch mapping
        The module is the child ``module``; its parameters (those with ``requires_grad``)
        are the trainable weights and its persistent buffers (BatchNorm statistics) the
        non-trainable ones. ``get_weights``/``set_weights`` list them in the module's
        ``state_dict`` order, tied parameters once, in torch layout (no Keras-1 layout
        exists for them). ``trainable=False`` freezes them all. Train/eval mode follows the
        model (``fit`` trains, ``predict`` evaluates).

    # Differences from Keras 1
        Not a Keras-1 layer. A config cannot rebuild the module by itself: see the module
        documentation (``custom_objects``, or ``safe_mode=False`` to import the class).
    """

    config_exclude = ("weights", "module")

    def __init__(self, module, output_shape=None, weights=None, **kwargs):
        if isinstance(module, Layer):
            raise TypeError("TorchModule: %r is already a Keras layer; add it to the model "
                            "directly" % (module.name,))
        if not isinstance(module, torch.nn.Module):
            raise TypeError("TorchModule: module must be a torch.nn.Module, got %r"
                            % (type(module).__name__,))
        super().__init__(**kwargs)
        self.module = module
        if output_shape is not None:
            try:
                output_shape = tuple(None if d is None else int(d) for d in output_shape)
            except (TypeError, ValueError):
                raise ValueError("Layer %s: output_shape must be a tuple of sizes without the "
                                 "batch axis, got %r" % (self.name, output_shape)) from None
        self.output_shape_given = output_shape
        self.initial_weights = weights
        self.uses_learning_phase = any(isinstance(m, _PHASE_DEPENDENT) for m in module.modules())
        self._inferred = {}
        object.__setattr__(self, "_token", "%s-%d" % (_PROCESS_SALT, next(_TOKENS)))

    @property
    def module_class(self):
        """The wrapped module's class as ``'package.module.Class'``."""
        return _dotted(class_reference(self.module))

    # -- running ----------------------------------------------------------------------------
    def call(self, x, mask=None):
        # The module gets C-contiguous tensors, as torch code written for it expects (its
        # ``view`` calls, say): the engine may run convolutions channels-last in memory.
        if isinstance(x, (list, tuple)):
            output = self.module(*(tensor.contiguous() for tensor in x))
        else:
            output = self.module(x.contiguous())
        if not isinstance(output, torch.Tensor):
            raise TypeError(self._not_one_tensor(output))
        return output

    def _not_one_tensor(self, output):
        return ("Layer %s (TorchModule): the wrapped torch module %s returned %s, not one tensor; "
                "a layer has one output here: wrap the module in one that returns the tensor "
                "you need (e.g. an LSTM's output without its states)"
                % (self.name, self.module_class, type(output).__name__))

    # -- shapes -----------------------------------------------------------------------------
    def build(self, input_shape):
        lazy = [t for t in itertools.chain(self.module.parameters(), self.module.buffers())
                if torch.nn.parameter.is_lazy(t)]
        if lazy:
            self._initialise_lazy(input_shape)

    def _initialise_lazy(self, input_shape):
        """Lazy modules (``nn.LazyLinear``) size their parameters on their first call: one
        real call on zeros, in eval mode (no statistics updated), as torch recommends."""
        inputs = [torch.zeros(tuple(_PROBE_SIZES[0] if d is None else int(d) for d in shape),
                              dtype=self._input_dtype()) for shape in _shapes(input_shape)]
        was_training = self.module.training
        self.module.eval()
        try:
            with torch.no_grad():
                self.module(*inputs)
        except Exception as exc:
            raise ValueError("Layer %s (TorchModule): could not initialise the lazy parameters of "
                             "the wrapped torch module %s by calling it on zeros of input shape "
                             "%s: %s: %s" % (self.name, self.module_class, input_shape,
                                             type(exc).__name__, exc)) from None
        finally:
            self.module.train(was_training)

    def _input_dtype(self):
        return torch.int64 if str(self.input_dtype).startswith("int") else torch.float32

    def _run_on_meta(self, input_shape, size):
        """The output shape of the module on meta tensors with unknown axes set to ``size``."""
        shapes = _shapes(input_shape)
        inputs = [_meta_input(shape, size, self._input_dtype()) for shape in shapes]
        # Parameters and buffers swapped for meta stand-ins for this one call: the real ones
        # are neither read nor written (a BatchNorm in train mode updates only the stand-ins).
        state = {key: torch.empty_like(value, device="meta")
                 for key, value in itertools.chain(self.module.named_parameters(),
                                                   self.module.named_buffers())}
        with torch.no_grad():
            output = torch.func.functional_call(self.module, state, tuple(inputs))
        if not isinstance(output, torch.Tensor):
            raise _NotOneTensor(self._not_one_tensor(output))
        return tuple(output.shape)

    def _infer(self, input_shape):
        shapes = _shapes(input_shape)
        unknown = any(d is None for shape in shapes for d in shape[1:])
        sizes = _PROBE_SIZES if unknown else _PROBE_SIZES[:1]
        try:
            runs = [self._run_on_meta(input_shape, size) for size in sizes]
        except _NotOneTensor as exc:
            raise ValueError(str(exc)) from None
        except Exception as exc:
            first_line = (str(exc).strip().splitlines() or [""])[0].rstrip(".")
            raise ValueError(
                "Layer %s (TorchModule): could not infer the output shape of the wrapped torch "
                "module %s by running it on meta-device tensors of input shape %s: %s: %s. A "
                "module that reads tensor values (.item(), .numpy(), Python conditions on data) "
                "cannot run on the meta device; pass output_shape=(...) (without the batch "
                "axis) to TorchModule." % (self.name, self.module_class, input_shape,
                                           type(exc).__name__, first_line)) from None
        first = runs[-1]
        if any(len(run) != len(first) for run in runs):
            return tuple(None for _ in first)
        inferred = tuple(a if all(run[i] == a for run in runs) else None
                         for i, a in enumerate(first))
        if inferred and shapes[0] and shapes[0][0] is None:
            inferred = (None,) + inferred[1:]
        return inferred

    def get_output_shape_for(self, input_shape):
        if self.output_shape_given is not None:
            first = _shapes(input_shape)[0]
            return (first[0] if first else None,) + self.output_shape_given
        key = repr(input_shape)
        if key not in self._inferred:
            self._inferred[key] = self._infer(input_shape)
        return self._inferred[key]

    # -- weights (the module's state_dict) ----------------------------------------------------
    def weight_specs(self):
        specs, seen = [], set()
        for key, tensor in self.module.state_dict(keep_vars=True).items():
            if id(tensor) in seen:  # a tied parameter: listed (and trained) once
                continue
            seen.add(id(tensor))
            trainable = isinstance(tensor, torch.nn.Parameter) and tensor.requires_grad
            specs.append(WeightSpec(key, "module." + key, trainable=trainable))
        return specs

    def _ordered_specs(self):
        return self.weight_specs()  # the module's state_dict order, not trainable first

    def __getattr__(self, name):
        if name.startswith("module."):
            target = self.__dict__["_modules"]["module"]
            *path, leaf = name[len("module."):].split(".")
            for part in path:
                target = getattr(target, part)
            return getattr(target, leaf)
        return super().__getattr__(name)

    # -- config -----------------------------------------------------------------------------
    def get_config(self):
        config = super().get_config()
        config["output_shape"] = self.output_shape_given
        config["module_class"] = class_reference(self.module)
        config["module_token"] = self._token
        _MODULES_BY_TOKEN[self._token] = self.module
        return config

    @classmethod
    def from_config(cls, config, safe_mode=None, custom_objects=None):
        """Rebuild from ``get_config``; the module comes from ``custom_objects``, from this
        process, or (``safe_mode=False``) from importing the recorded class: see the module
        documentation."""
        config = dict(config)
        reference = config.pop("module_class", None) or {}
        token = config.pop("module_token", None)
        name = config.get("name", "torchmodule")
        if not (isinstance(reference, dict) and isinstance(reference.get("module"), str)
                and isinstance(reference.get("name"), str)):
            raise ValueError("Layer %s (TorchModule): the config's module_class %r is not a "
                             "{'module': ..., 'name': ...} class reference" % (name, reference))
        module = _module_for(name, reference, token, safe_mode is False, custom_objects or {})
        output_shape = config.pop("output_shape", None)
        layer = cls(module, output_shape=output_shape, **config)
        if token is not None and _MODULES_BY_TOKEN.get(token) is not None:
            object.__setattr__(layer, "_token", token)  # configs of a rebuilt layer match
        return layer

    def extra_repr(self):
        return "name=%r" % self.name


def _built_by(name, what, factory):
    try:
        module = factory()
    except Exception as exc:
        raise ValueError("Layer %s (TorchModule): calling %s with no arguments to build the "
                         "torch module failed (%s: %s); pass the module itself in "
                         "custom_objects={%r: module}" % (name, what, type(exc).__name__, exc,
                                                           name)) from None
    if not isinstance(module, torch.nn.Module):
        raise ValueError("Layer %s (TorchModule): %s returned %r, not a torch.nn.Module"
                         % (name, what, type(module).__name__))
    return module


def _module_for(name, reference, token, unsafe, custom_objects):
    dotted = _dotted(reference)
    short = reference["name"].rsplit(".", 1)[-1]
    if name in custom_objects:
        given = custom_objects[name]
        if isinstance(given, torch.nn.Module):
            return given
        return _built_by(name, "custom_objects[%r]" % name, given)
    for key in (dotted, short):
        if key in custom_objects:
            given = custom_objects[key]
            if isinstance(given, torch.nn.Module):
                return copy.deepcopy(given)
            return _built_by(name, "custom_objects[%r]" % key, given)
    live = _MODULES_BY_TOKEN.get(token) if isinstance(token, str) else None
    if live is not None:
        return copy.deepcopy(live)
    if unsafe:
        if reference["module"] not in sys.modules:
            importlib.import_module(reference["module"])
        target = sys.modules[reference["module"]]
        for part in reference["name"].split("."):
            target = getattr(target, part, None)
        if target is None or not callable(target):
            raise ValueError("Layer %s (TorchModule): cannot find the class %s"
                             % (name, dotted))
        return _built_by(name, dotted, target)
    raise ValueError(
        "Layer %s (TorchModule): the config wraps a torch module of class %s. A torch module is "
        "code, which a model file cannot carry, and loading never imports or calls what a file "
        "names. Pass the module: custom_objects={%r: module} (that object is used), or "
        "custom_objects={%r: %s} (the class, or any function, called with no arguments); or, "
        "if you trust the file, load with safe_mode=False to import %s and call it with no "
        "arguments." % (name, dotted, name, short, short, dotted))
