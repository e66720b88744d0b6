"""``Lambda``: wraps an arbitrary function of the input as a layer.

Serialisation (``get_config``): a module-level named function (or other importable
callable) is stored as a reference ``{'module': ..., 'name': ...}`` with
``'function_type': 'function'``.  Any other Python function (a ``lambda``, a nested
function) is stored as Keras 1 did, as marshalled bytecode (base64 here) with
``'function_type': 'lambda'``.

A config is data from a file, so loading trusts only (the same rules apply to a callable
``output_shape`` and to ``Merge(mode=function)``):

* references to Keras-1 activations and backend functions (``keras_compat.activations``,
  ``keras_compat.backend`` ops), to the values of the caller's ``custom_objects``, and to
  the functions this process itself stored by reference;
* bytecode byte-identical to bytecode this process itself serialised (a digest of each is
  kept in memory for the life of the process), so a model saved and loaded back in the same
  script needs no opt-in.

Anything else (``{"module": "os", "name": "system"}``, bytecode from another process)
is refused with an error naming ``safe_mode=False``, the explicit opt-in (or set
``ALLOW_UNSAFE_DESERIALIZATION``, below, to True).
"""
import base64
import builtins
import hashlib
import importlib
import inspect
import json
import marshal
import sys
import types
import warnings

import numpy as np
import torch
import torch.nn.functional as F

from keras_compat import activations
from keras_compat import backend as K
from keras_compat.engine.layer import Layer

# Set to True to let ``Lambda.from_config`` rebuild functions from marshalled bytecode
# (which runs code stored in the config / model file).  Prefer ``safe_mode=False``.
ALLOW_UNSAFE_DESERIALIZATION = False

_PROBE_SIZES = (2, 3)

# Digests of what this process serialised itself (bytecode and module references): loading
# the same bytes back is loading our own code, not the file's.
_SERIALISED_DIGESTS = set()

# Backend functions that change global state: not something a config may call.
_STATEFUL_BACKEND = frozenset({"clear_session", "reset_uids", "set_epsilon", "set_floatx",
                               "set_image_dim_ordering", "set_value", "batch_set_value",
                               "set_learning_phase", "manual_variable_initialization",
                               "get_uid", "set_session"})


def _digest(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()


def _remember(value):
    _SERIALISED_DIGESTS.add(_digest(value))
    return value


def _trusted_functions():
    """Keras-1 activations and backend functions: what a config may name without opt-in."""
    trusted = set()
    for module, prefix in ((activations, "keras_compat.activations"),
                           (K, "keras_compat.backend.")):
        for name in dir(module):
            obj = getattr(module, name)
            if (name.startswith("_") or name in _STATEFUL_BACKEND or name in ("get", "serialize")
                    or not callable(obj) or isinstance(obj, type)):
                continue
            if getattr(obj, "__module__", "").startswith(prefix):
                trusted.add(obj)
    return trusted


def _python_version():
    return "%d.%d" % sys.version_info[:2]


def _resolve_reference(module_name, qualname):
    module = sys.modules.get(module_name)
    if module is None:
        return None
    obj = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _check_json(owner, what, value, label):
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise ValueError(
            "Layer %s: cannot serialise %s: its %s %r are not JSON values. Define the function at "
            "module level (it is then stored by reference) or avoid capturing such values."
            % (owner, what, label, value)) from None


def _dump_function(owner, func, what):
    """``(stored_value, type)`` for a function, in the forms described in the module doc."""
    module_name = getattr(func, "__module__", None)
    qualname = getattr(func, "__qualname__", None)
    if (module_name and qualname and "<" not in qualname
            and _resolve_reference(module_name, qualname) is func):
        return _remember({"module": module_name, "name": qualname}), "function"
    stored = getattr(func, "_keras_compat_dump", None)
    if stored is not None:  # loaded from a config: write back exactly what was read
        return _remember(dict(stored)), "lambda"
    if isinstance(func, types.FunctionType):
        defaults = list(func.__defaults__) if func.__defaults__ else None
        closure = ([cell.cell_contents for cell in func.__closure__]
                   if func.__closure__ else None)
        if defaults is not None:
            _check_json(owner, what, defaults, "default argument values")
        if closure is not None:
            _check_json(owner, what, closure, "closure (captured) values")
        code = base64.b64encode(marshal.dumps(func.__code__)).decode("ascii")
        return _remember({"bytecode": code, "defaults": defaults, "closure": closure,
                          "python": _python_version()}), "lambda"
    raise ValueError("Layer %s: cannot serialise %s %r: it is neither an importable module-level "
                     "function nor a Python function" % (owner, what, func))


def _load_function(owner, value, kind, safe_mode, custom_objects):
    if kind == "function":
        if isinstance(value, dict) and "module" in value and "name" in value:
            module_name, qualname = value["module"], value["name"]
            if not (isinstance(module_name, str) and isinstance(qualname, str)):
                raise ValueError("Lambda %s: the function reference %r is not a module name and "
                                 "a function name" % (owner, value))
            ours = _digest({"module": module_name, "name": qualname}) in _SERIALISED_DIGESTS
            if module_name not in sys.modules:
                if safe_mode:
                    raise ValueError(
                        "Lambda %s: the function %s.%s lives in a module that is not imported; "
                        "import %s first (or pass safe_mode=False to let from_config import it)"
                        % (owner, module_name, qualname, module_name))
                importlib.import_module(module_name)
            func = _resolve_reference(module_name, qualname)
            if func is None:
                raise ValueError("Lambda %s: cannot find function %s in module %s"
                                 % (owner, qualname, module_name))
            trusted = (ours or func in _trusted_functions()
                       or any(func is obj for obj in (custom_objects or {}).values()))
            if safe_mode and not trusted:
                raise ValueError(
                    "Lambda %s: the file names the function %s.%s, which is neither a Keras-1 "
                    "activation or backend function nor in custom_objects; a model file may not "
                    "choose arbitrary functions to call. Pass it in custom_objects, or load with "
                    "safe_mode=False if you trust the file" % (owner, module_name, qualname))
            return func
        if isinstance(value, str) and custom_objects and value in custom_objects:
            return custom_objects[value]
        raise ValueError("Lambda %s: function given by bare name %r cannot be resolved; pass it in "
                         "custom_objects or rebuild the layer with the function itself"
                         % (owner, value))
    if kind == "lambda":
        if not isinstance(value, dict) or "bytecode" not in value:
            raise ValueError(
                "Lambda %s: this config stores its function as bytecode marshalled by Keras 1 "
                "under another Python version, which cannot be loaded here; rebuild the layer with "
                "Lambda(your_function, ...) instead" % owner)
        if safe_mode and _digest(value) not in _SERIALISED_DIGESTS:
            raise ValueError(
                "Lambda %s: the config stores its function as marshalled Python bytecode that "
                "this process did not write; loading it runs code from the config/model file. "
                "If you trust the file, load it with safe_mode=False (Lambda.from_config(config, "
                "safe_mode=False), or set keras_compat.layers.core.lambda_layer."
                "ALLOW_UNSAFE_DESERIALIZATION = True); otherwise define the function at module "
                "level (stored by reference)." % owner)
        if value.get("python") != _python_version():
            raise ValueError("Lambda %s: bytecode was written by Python %s and cannot be loaded by "
                             "Python %s" % (owner, value.get("python"), _python_version()))
        code = marshal.loads(base64.b64decode(value["bytecode"]))
        # Keras 1 loaded these functions with its layers module's globals, which held ``K``.
        globs = {"__builtins__": builtins, "torch": torch, "F": F, "np": np, "K": K}
        globs.update(custom_objects or {})
        closure = value.get("closure")
        if closure is not None:
            closure = tuple(types.CellType(v) for v in closure)
        defaults = value.get("defaults")
        func = types.FunctionType(code, globs, code.co_name,
                                  tuple(defaults) if defaults is not None else None, closure)
        func._keras_compat_dump = dict(value)
        return func
    raise ValueError("Lambda %s: unknown function type %r" % (owner, kind))


def func_dump(func):
    """A function as ``(code, defaults, closure)``: marshalled bytecode decoded with
    ``raw_unicode_escape`` (so it fits in JSON), the defaults and the closure cell values.
    The bytecode is this Python's: it loads back only under the same Python version."""
    code = marshal.dumps(func.__code__).decode('raw_unicode_escape')
    defaults = func.__defaults__
    closure = tuple(cell.cell_contents for cell in func.__closure__) if func.__closure__ else None
    return code, defaults, closure


def func_load(code, defaults=None, closure=None, globs=None):
    """The function :func:`func_dump` serialised (``code`` may be the whole dumped tuple).
    ``globs`` are its globals (default: this module's; Keras 1 used its generic_utils module's). This runs bytecode:
    load only what you trust."""
    if isinstance(code, (tuple, list)):
        code, defaults, closure = code
    code = marshal.loads(code.encode('raw_unicode_escape'))
    if globs is None:
        globs = globals()
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    return types.FunctionType(code, globs, name=code.co_name, argdefs=defaults, closure=closure)


def _parameters_reached(value):
    """``[(path, parameter)]`` for the trainable torch parameters ``value`` holds directly (a
    parameter, or a module's)."""
    if isinstance(value, torch.nn.Parameter):
        return [("", value)] if value.requires_grad else []
    if isinstance(value, torch.nn.Module) and not isinstance(value, Layer):
        return [("." + key, p) for key, p in value.named_parameters() if p.requires_grad]
    return []


def untrained_parameters(function):
    """``[(where, path, parameter)]``: the trainable torch parameters ``function`` reaches
    through its closure cells, the globals its code names, the object it is bound to, or
    itself (a module used as the function). A model owns none of them."""
    found = []
    if isinstance(function, torch.nn.Module):
        found += [(type(function).__name__, path, p) for path, p in _parameters_reached(function)]
        return found
    bound = getattr(function, "__self__", None)
    if bound is not None:
        found += [(type(bound).__name__, path, p) for path, p in _parameters_reached(bound)]
        function = getattr(function, "__func__", function)
    code = getattr(function, "__code__", None)
    if code is None:
        return found
    for name, cell in zip(code.co_freevars, function.__closure__ or ()):
        try:
            value = cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue
        found += [(name, path, p) for path, p in _parameters_reached(value)]
    names = getattr(function, "__globals__", {})
    for name in code.co_names:
        if name in names:
            found += [(name, path, p) for path, p in _parameters_reached(names[name])]
    return found


def _warn_of_untrained_parameters(owner, function, stacklevel):
    """Warn when ``function`` reaches trainable torch parameters; True when it warned."""
    found = untrained_parameters(function)
    if not found:
        return False
    listed, seen = [], set()
    for where, path, param in found:
        if id(param) not in seen:
            seen.add(id(param))
            listed.append("%s%s %s" % (where, path, tuple(param.shape)))
    warnings.warn(
        "Lambda %s: its function uses torch parameters that the model does not own, so fit() "
        "will not train them and save_weights() will not save them: %s. Wrap the torch module "
        "in a TorchModule layer (keras_compat.layers.TorchModule) instead."
        % (owner, ", ".join(listed)),
        stacklevel=stacklevel)
    return True


class Lambda(Layer):
    """Wraps an arbitrary expression as a layer: ``output = function(x, **arguments)``.

    # Arguments
        function: the function to evaluate; takes the input tensor as first argument
            (and receives ``mask=`` too when it declares such a parameter).
        output_shape: the output shape, a tuple without the batch axis, or a function
            of the full input shape returning the full output shape.  When None, it is
            inferred by running ``function`` on small zero tensors under ``torch.no_grad``
            (what Keras 1 did on TensorFlow; Theano assumed "same as the input").
        arguments: optional dict of keyword arguments passed to ``function``.

    # Torch mapping
        ``function`` gets and returns torch tensors in the Keras layout.

    # Differences from Keras 1
        Shape inference with ``output_shape=None`` follows the TensorFlow backend on both
        emulated backends: axes that change with unknown input sizes become None, the
        batch axis stays None; if running the function fails, the input shape is used
        (with a warning), as on Theano.  When ``output_shape`` is given, the function is
        run once at build time on small zero inputs and a mismatch with the declared shape
        raises ``ValueError`` (skipped when that probe itself fails).  Serialisation: see
        the module documentation (bytecode needs an explicit opt-in to be loaded).
    """

    def __init__(self, function, output_shape=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError("Layer %s: function must be callable, got %r" % (self.name, function))
        self.function = function
        self.arguments = dict(arguments) if arguments else {}
        if output_shape is None or callable(output_shape):
            self._output_shape = output_shape
        else:
            try:
                self._output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError("Layer %s: output_shape must be a tuple, a function or None, "
                                 "got %r" % (self.name, output_shape)) from None
        self._inferred = {}
        # at construction (stacklevel: the line building the Lambda, through Layer's __init__
        # wrapper); else once more at the first call, when globals defined later exist
        self._parameters_checked = _warn_of_untrained_parameters(self.name, function, 4)
        try:
            self._wants_mask = "mask" in inspect.signature(function).parameters
        except (TypeError, ValueError):
            self._wants_mask = False

    # -- running ----------------------------------------------------------------------
    def call(self, x, mask=None):
        if not self.__dict__.get("_parameters_checked", True):
            self._parameters_checked = True
            _warn_of_untrained_parameters(self.name, self.function, 3)
        arguments = dict(self.arguments)
        if self._wants_mask:
            arguments["mask"] = mask
        return self.function(x, **arguments)

    # -- shapes -------------------------------------------------------------------------
    def _probe(self, input_shape, size):
        """Run the function on zeros with every unknown axis set to ``size``."""
        shape = tuple(size if d is None else d for d in input_shape)
        dtype = torch.float32
        if self.batch_input_shape is not None and self.input_dtype.startswith("int"):
            dtype = torch.int64
        with torch.no_grad():
            output = self.call(torch.zeros(shape, dtype=dtype), None)
        if not isinstance(output, torch.Tensor):
            raise TypeError("Lambda function returned %r, not a tensor" % type(output).__name__)
        return tuple(output.shape)

    def _infer(self, input_shape):
        key = tuple(input_shape)
        if key not in self._inferred:
            try:
                shapes = [self._probe(input_shape, size) for size in _PROBE_SIZES]
            except Exception as exc:  # the function cannot run on a probe: Theano's rule
                warnings.warn("Lambda %s: could not infer the output shape by running the function "
                              "(%s: %s); assuming it equals the input shape. Pass output_shape."
                              % (self.name, type(exc).__name__, exc))
                self._inferred[key] = key
            else:
                first, second = shapes
                if len(first) != len(second):
                    inferred = tuple(None for _ in first)
                else:
                    inferred = tuple(a if a == b else None for a, b in zip(first, second))
                if inferred and input_shape and input_shape[0] is None:
                    inferred = (None,) + inferred[1:]
                self._inferred[key] = inferred
        return self._inferred[key]

    def _declared(self, input_shape):
        if self._output_shape is None:
            return None
        if callable(self._output_shape):
            shape = self._output_shape(tuple(input_shape))
            if not isinstance(shape, (list, tuple)):
                raise ValueError("Layer %s: the output_shape function must return a tuple, got %r"
                                 % (self.name, shape))
            return tuple(shape)
        nb_samples = input_shape[0] if input_shape else None
        return (nb_samples,) + self._output_shape

    def get_output_shape_for(self, input_shape):
        declared = self._declared(input_shape)
        if declared is not None:
            return declared
        return self._infer(input_shape)

    def build(self, input_shape):
        declared = self._declared(input_shape)
        if declared is None:
            return
        if any(d is None for d in input_shape[1:]):
            return  # sizes the function may depend on are unknown: cannot check safely
        size = _PROBE_SIZES[0]
        try:
            real = self._probe(input_shape, size)
        except Exception:  # the check is best effort: skipped when the probe cannot run
            return
        mismatch = len(real) != len(declared) or any(
            want is not None and want != got
            for want, got in zip(declared[1:], real[1:]))
        if mismatch:
            raise ValueError("Layer %s: the declared output_shape %s does not match the shape the "
                             "function actually returns, %s (checked on a zero input of shape %s)"
                             % (self.name, declared, (None,) + real[1:],
                                (size,) + tuple(input_shape[1:])))

    # -- config ---------------------------------------------------------------------------
    def get_config(self):
        config = super().get_config()
        for key in ("function", "output_shape", "arguments"):
            config.pop(key, None)
        function, function_type = _dump_function(self.name, self.function, "the function")
        config["function"] = function
        config["function_type"] = function_type
        if self._output_shape is None or not callable(self._output_shape):
            config["output_shape"] = self._output_shape
            config["output_shape_type"] = "raw"
        else:
            config["output_shape"], config["output_shape_type"] = _dump_function(
                self.name, self._output_shape, "the output_shape function")
        _check_json(self.name, "the arguments", self.arguments, "values")
        config["arguments"] = self.arguments
        return config

    @classmethod
    def from_config(cls, config, safe_mode=None, custom_objects=None):
        """Rebuild from ``get_config``; ``safe_mode=False`` allows marshalled bytecode."""
        if safe_mode is None:
            safe_mode = not ALLOW_UNSAFE_DESERIALIZATION
        config = dict(config)
        owner = config.get("name", "lambda")
        function = _load_function(owner, config.pop("function"),
                                  config.pop("function_type", "function"), safe_mode,
                                  custom_objects)
        output_shape = config.pop("output_shape", None)
        shape_type = config.pop("output_shape_type", "raw")
        if shape_type != "raw":
            output_shape = _load_function(owner, output_shape, shape_type, safe_mode,
                                          custom_objects)
        elif output_shape is not None:
            output_shape = tuple(output_shape)
        return cls(function, output_shape=output_shape, arguments=config.pop("arguments", None),
                   **config)

    def extra_repr(self):
        return "name=%r, function=%s" % (self.name, getattr(self.function, "__name__", self.function))
