"""The Keras-1 ``Layer`` base class, a ``torch.nn.Module`` underneath.

Keras-1 names outside (``build``, ``call(x, mask=None)``, ``get_output_shape_for``,
``get_weights`` in Keras-1 layout), torch names inside (``weight``, ``bias`` in torch
layout).  Shapes are resolved by an explicit pass (``build_for``) when the layer is
added to a model, before any data flows.
"""
import dataclasses
import functools
import inspect
import warnings
from typing import Callable

import numpy as np
import torch

from keras_compat import constraints as constraints_module
from keras_compat import initializations, regularizers
from keras_compat._args.rules import ArgumentError, apply_rules, collect_rules
from keras_compat._args.values import check_input_shape
from keras_compat.backend import naming
from keras_compat.engine import registry
from keras_compat.engine.allocation import checked_build, refuse_if_too_large
from keras_compat.engine.input_spec import InputSpec
from keras_compat.engine.node import GraphMixin, SymbolicTensor, symbolic_call


def _identity(tensor):
    return tensor


def transpose_2d(tensor):
    return tensor.t()


@dataclasses.dataclass(frozen=True)
class WeightSpec:
    """How one torch parameter or buffer appears in Keras-1 ``get_weights()``.

    ``to_keras`` maps the torch-layout tensor to the Keras-1 layout and ``from_keras``
    back; they are the single place a layer's layout knowledge lives.
    """
    suffix: str
    attr: str
    to_keras: Callable = _identity
    from_keras: Callable = _identity
    trainable: bool = True


# Keras 1.2.2's warning text for the ``regularizers`` attribute of layers.
REGULARIZERS_DEPRECATION = ("The `regularizers` property of layers/models is deprecated. "
                            "Regularization losses are now managed via the `losses` "
                            "layer/model property.")

# Keyword arguments every Keras-1 layer accepts (engine/topology.py, Layer.__init__).
BASE_KWARGS = ("input_shape", "batch_input_shape", "input_dtype", "name", "trainable",
               "create_input_layer")


def _wrap_init(init):
    signature = inspect.signature(init)

    @functools.wraps(init)
    def keras1_init(self, *args, **kwargs):
        if self.__dict__.get("_constructing"):
            init(self, *args, **kwargs)
            return
        cls = type(self)
        owner = cls.__name__
        kwargs = apply_rules(owner, cls.alias_rules(), signature, (self,) + args, kwargs)
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError as exc:
            raise ArgumentError("%s: %s" % (owner, exc)) from None
        if "_parameters" not in self.__dict__:
            torch.nn.Module.__init__(self)
        object.__setattr__(self, "_constructing", True)
        try:
            init(self, *args, **kwargs)
        finally:
            object.__setattr__(self, "_constructing", False)
        bound.apply_defaults()
        captured = {}
        for name, param in signature.parameters.items():
            if name == "self":
                continue
            if param.kind == param.VAR_KEYWORD:
                captured.update(bound.arguments.get(name, {}))
            elif param.kind != param.VAR_POSITIONAL:
                captured[name] = bound.arguments[name]
        object.__setattr__(self, "_init_args", captured)

    keras1_init.__signature__ = signature
    return keras1_init


def serialize_value(value):
    """Keras-1 config form of a constructor value (functions by name, objects by config)."""
    if hasattr(value, "get_config") and not isinstance(value, type):
        return value.get_config()
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__
    if isinstance(value, tuple):
        return tuple(serialize_value(v) for v in value)
    if isinstance(value, list):
        return [serialize_value(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def cast_model_input(x, dtype_name):
    """A model input as its declared dtype would feed it: Keras 1 fed every input through a
    placeholder of that dtype (floatX unless the first layer asked for ints, as Embedding does),
    so bool/int/uint8 arrays reach float layers as float32 (addition_rnn.py feeds np.bool)."""
    if x.__class__ is torch.Tensor and not x.is_floating_point() and not x.is_complex() \
            and str(dtype_name).startswith("float"):
        return x.to(torch.float32)
    return x


def _any_mask(input_has_mask):
    """Whether any input carries a mask: one flag, or one per input for a layer called on a list
    (as Keras 1, which raised only when ``any(input_mask)``)."""
    if isinstance(input_has_mask, (list, tuple)):
        return any(bool(flag) for flag in input_has_mask)
    return bool(input_has_mask)


class Layer(GraphMixin, torch.nn.Module):
    """Base of every Keras-1 layer; user-written Keras-1 custom layers subclass it too.

    # Arguments
        input_shape, batch_input_shape, input_dtype, name, trainable: as Keras 1.

    # Torch mapping
        A ``torch.nn.Module``; parameters in torch layout, ``forward`` runs ``call``.
    """

    aliases = ()
    supports_masking = False
    # Constructor arguments not echoed by ``get_config`` (Keras 1 never stored them).
    config_exclude = ("weights",)
    # Arguments that are extensions over Keras 1: echoed only when not at their default.
    config_extensions = ()
    # Expected input rank including the batch axis (None: any), checked at build time.
    input_ndim = None
    min_input_ndim = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _wrap_init(cls.__dict__["__init__"])
        cls._cached_rules = None
        registry.register(cls)

    @classmethod
    def alias_rules(cls):
        if cls.__dict__.get("_cached_rules") is None:
            cls._cached_rules = collect_rules(cls)
        return cls._cached_rules

    def __init__(self, **kwargs):
        if "_parameters" not in self.__dict__:
            torch.nn.Module.__init__(self)
        owner = type(self).__name__
        for key in kwargs:
            if key not in BASE_KWARGS:
                raise ArgumentError("%s: Keyword argument not understood: %r" % (owner, key))
        name = kwargs.get("name")
        self.name = naming.check_layer_name(name) if name else naming.unique_layer_name(owner)
        self.trainable = bool(kwargs.get("trainable", True))
        self.input_dtype = kwargs.get("input_dtype") or "float32"
        batch_input_shape = kwargs.get("batch_input_shape")
        # As in Keras 1, batch_input_shape wins when both are given (configs carry both).
        if batch_input_shape is None and kwargs.get("input_shape") is not None:
            batch_input_shape = (None,) + tuple(kwargs["input_shape"])
        self.batch_input_shape = None if batch_input_shape is None else tuple(
            check_input_shape("%s (%s)" % (owner, self.name), batch_input_shape))
        self.built = False
        self.initial_weights = None
        self.activity_regularizer = None
        self._input_shapes = []
        self._output_shapes = []
        self._explicit_trainable_weights = None
        self._explicit_non_trainable_weights = None
        self._activity_loss = None
        self._inbound_nodes = []
        self._outbound_nodes = []
        self._weight_regularizers = []
        if not hasattr(self, "_init_args"):
            object.__setattr__(self, "_init_args", {})

    # -- child layers (models, Merge) ------------------------------------------------------
    def _register_layer(self, layer):
        """Make ``layer`` a torch child under a key derived from its Keras name, one that never
        shadows an attribute of this module nor breaks torch's naming rules; returns the key."""
        for key, module in self._modules.items():
            if module is layer:
                return key

        def taken(key):
            return (key in self._modules or key in self._parameters or key in self._buffers
                    or key in self.__dict__ or hasattr(type(self), key))
        key = naming.module_key(layer.name, taken)
        self.add_module(key, layer)
        return key

    def _unregister_layer(self, layer):
        for key, module in list(self._modules.items()):
            if module is layer:
                del self._modules[key]

    # -- Keras-1 hooks, overridden by layers --------------------------------------------
    def build(self, input_shape):
        """Create the weights for ``input_shape`` (batch axis included, may be None)."""

    def call(self, x, mask=None):
        return x

    def get_output_shape_for(self, input_shape):
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            return self.compute_output_shape(input_shape)  # a Keras-2 style custom layer
        return input_shape

    def compute_output_shape(self, input_shape):
        """Keras-2 spelling of ``get_output_shape_for``."""
        return self.get_output_shape_for(input_shape)

    def compute_mask(self, x, mask=None):
        if not self.supports_masking:
            if mask is not None:
                raise ValueError("Layer %s does not support masking, but was passed an input_mask: %s"
                                 % (self.name, mask))
            return None
        return mask

    def weight_specs_for(self, backend=None, dim_ordering=None):
        """The specs a Keras-1 file written under ``backend`` ('theano'/'tensorflow') and
        ``dim_ordering`` ('th'/'tf') is read through (None: the layer's own); a layer whose
        weight layout depends on neither answers its ``weight_specs()``."""
        return self.weight_specs()

    def weight_specs(self):
        """The layer's weights in Keras-1 ``get_weights()`` order (trainable first).

        Built-in layers override this; for user-written layers the specs come from the
        ``trainable_weights``/``non_trainable_weights`` they set and from ``add_weight``.
        """
        if self._explicit_trainable_weights is None and self._explicit_non_trainable_weights is None:
            return []
        specs = []
        for trainable, group in ((True, self._explicit_trainable_weights),
                                 (False, self._explicit_non_trainable_weights)):
            for weight in group or ():
                attr = self._attr_of(weight)
                name = getattr(weight, "_keras_name", None) or attr
                prefix = self.name + "_"
                suffix = name[len(prefix):] if name.startswith(prefix) else name
                specs.append(WeightSpec(suffix, attr, trainable=trainable))
        return specs

    def _attr_of(self, weight):
        for key, value in self._parameters.items():
            if value is weight:
                return key
        for key, value in self._buffers.items():
            if value is weight:
                return key
        raise ValueError("Layer %s: a weight listed in trainable_weights/non_trainable_weights is not "
                         "an attribute of the layer" % self.name)

    def _register_weights(self, weights, trainable):
        """Make each listed weight a registered torch Parameter of this layer (Keras-1 custom
        layers list tensors they stored as attributes, or created with ``K.variable``)."""
        registered = []
        for index, weight in enumerate(weights):
            if not isinstance(weight, torch.Tensor):
                raise TypeError("Layer %s: trainable_weights/non_trainable_weights must list tensors "
                                "(K.variable or add_weight results); got %r" % (self.name, weight))
            if isinstance(weight, torch.nn.Parameter) and any(
                    p is weight for p in self._parameters.values()):
                weight.requires_grad_(trainable and weight.is_floating_point())
                registered.append(weight)
                continue
            attr = next((k for k, v in self.__dict__.items() if v is weight), None)
            param = weight if isinstance(weight, torch.nn.Parameter) else torch.nn.Parameter(
                weight.detach().clone(), requires_grad=trainable)
            param.requires_grad_(trainable and param.is_floating_point())
            if hasattr(weight, "_keras_name"):
                param._keras_name = weight._keras_name
            if attr is not None:
                del self.__dict__[attr]
            else:
                attr = "_weight_%d" % (len(self._parameters) + index)
            self.register_parameter(attr, param)
            registered.append(param)
        return registered

    def add_weight(self, shape, initializer, name=None, trainable=True, regularizer=None,
                   constraint=None):
        """Create, register and track a weight, as Keras 1.2.2 ``Layer.add_weight``."""
        shape = tuple(int(d) for d in shape)
        refuse_if_too_large("Layer %s (%s)" % (self.name, type(self).__name__),
                            4 * int(np.prod(shape, dtype=object)),
                            "the weight of shape %s" % (shape,))
        init = initializations.get(initializer)
        value = init(shape)
        value = torch.as_tensor(np.asarray(value.detach().cpu() if isinstance(value, torch.Tensor)
                                           else value), dtype=torch.float32)
        param = torch.nn.Parameter(value.clone(), requires_grad=trainable)
        keras_name = name or "w%d" % len(self._parameters)
        param._keras_name = keras_name
        attr = keras_name[len(self.name) + 1:] if keras_name.startswith(self.name + "_") else keras_name
        attr = attr if attr.isidentifier() and attr not in self.__dict__ and not hasattr(
            type(self), attr) and attr not in self._parameters else "_weight_%d" % len(self._parameters)
        self.register_parameter(attr, param)
        if trainable:
            self._explicit_trainable_weights = list(self._explicit_trainable_weights or []) + [param]
        else:
            self._explicit_non_trainable_weights = list(
                self._explicit_non_trainable_weights or []) + [param]
        if regularizer is not None:
            self._weight_regularizers.append((regularizers.get(regularizer), param))
        if constraint is not None:
            self.constraints[param] = constraints_module.get(constraint)
        return param

    # -- shape pass ---------------------------------------------------------------------
    def build_for(self, input_shape, input_has_mask=False):
        """Explicit shape-inference step: check, build once, return the output shape."""
        input_shape = tuple(input_shape)
        self.check_input_shape(input_shape)
        if _any_mask(input_has_mask) and not self.supports_masking:
            raise ValueError("Layer %s does not support masking, but was passed an input_mask"
                             % self.name)
        if not self.built:
            with checked_build("Layer %s (%s)" % (self.name, type(self).__name__)):
                self.build(input_shape)
            self.built = True
            if self.initial_weights is not None:
                weights, self.initial_weights = self.initial_weights, None
                self.set_weights(weights)
        output_shape = self.get_output_shape_for(input_shape)
        output_shape = tuple(output_shape) if not isinstance(output_shape, list) else output_shape
        self._input_shapes.append(input_shape)
        self._output_shapes.append(output_shape)
        return output_shape

    def output_has_mask(self, input_has_mask):
        """Whether the output carries a mask, given whether the input did."""
        return bool(_any_mask(input_has_mask) and self.supports_masking)

    def check_input_shape(self, input_shape):
        ndim = len(input_shape)
        if self.input_ndim is not None and ndim != self.input_ndim:
            raise ValueError("Input 0 is incompatible with layer %s: expected ndim=%d, found ndim=%d "
                             "(input shape %s)" % (self.name, self.input_ndim, ndim, input_shape))
        if self.min_input_ndim is not None and ndim < self.min_input_ndim:
            raise ValueError("Input 0 is incompatible with layer %s: expected ndim>=%d, found ndim=%d "
                             "(input shape %s)" % (self.name, self.min_input_ndim, ndim, input_shape))

    def _single_shape(self, shapes, what):
        if not shapes:
            raise AttributeError("The layer %s has never been called and thus has no defined %s."
                                 % (self.name, what))
        if all(s == shapes[0] for s in shapes):
            return shapes[0]
        raise AttributeError("The layer %s has multiple inbound nodes with different %ss; use "
                             "get_%s_at(node_index)" % (self.name, what, what.replace(" ", "_")))

    @property
    def input_shape(self):
        return self._single_shape(self._input_shapes, "input shape")

    @property
    def output_shape(self):
        return self._single_shape(self._output_shapes, "output shape")

    # -- running ------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        x = args[0] if args else kwargs.get("x")
        if x.__class__ is SymbolicTensor or (x.__class__ in (list, tuple) and x
                                              and x[0].__class__ is SymbolicTensor):
            kwargs.pop("x", None)
            return symbolic_call(self, x, *args[1:], **kwargs)
        return self._wrapped_call_impl(*args, **kwargs)

    def forward(self, x, mask=None):
        if not self.built:
            # Keras 1 built a layer first called on a concrete tensor from K.int_shape of it,
            # batch size included (a stateful layer needs it).  Outside inference mode even
            # when predict() runs in it: weights made there could never be trained.
            with torch.inference_mode(False):
                self.build_for(tuple(x.shape))
        output = self.call(x, mask)
        # In both phases: Keras 1's test loss included the current batch's activity penalty.
        if self.activity_regularizer is not None:
            self._activity_loss = self.activity_regularizer(output)
        return output

    # -- weights ------------------------------------------------------------------------
    def _ordered_specs(self):
        specs = self.weight_specs()
        return ([s for s in specs if s.trainable] + [s for s in specs if not s.trainable])

    @property
    def trainable_weights(self):
        if self._explicit_trainable_weights is not None:
            return list(self._explicit_trainable_weights) if self.trainable else []
        if not self.trainable:
            return []
        return [getattr(self, s.attr) for s in self.weight_specs() if s.trainable]

    @trainable_weights.setter
    def trainable_weights(self, weights):
        self._explicit_trainable_weights = self._register_weights(list(weights), True)

    @property
    def non_trainable_weights(self):
        if self._explicit_non_trainable_weights is not None:
            fixed = list(self._explicit_non_trainable_weights)
            return fixed if self.trainable else list(self._explicit_trainable_weights or []) + fixed
        specs = self._ordered_specs()
        if not self.trainable:
            return [getattr(self, s.attr) for s in specs]
        return [getattr(self, s.attr) for s in specs if not s.trainable]

    @non_trainable_weights.setter
    def non_trainable_weights(self, weights):
        self._explicit_non_trainable_weights = self._register_weights(list(weights), False)

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    # -- Keras-1 bookkeeping attributes (losses, updates, input_spec, ...) ---------------------
    # Whether the output depends on the train/test phase (Dropout, noise, BN mode 0 set it).
    uses_learning_phase = False

    @property
    def losses(self):
        """Keras 1's ``layer.losses``: the weight-regularizer penalties, the activity penalty
        and whatever ``add_loss`` added (current values, as tensors); a model lists its
        layers' losses.  Keras 1 listed a symbolic activity penalty as soon as the layer was
        connected: before any data has flowed its entry here is a 0-d zero placeholder (the
        penalty training uses is always computed from the current batch)."""
        if isinstance(getattr(type(self), "layers", None), property):
            own = [loss for layer in self.layers for loss in layer.losses]
        else:
            own = self.regularization_losses()
            if self.activity_regularizer is not None and self._activity_loss is None \
                    and self._output_shapes:
                own.append(torch.zeros(()))
        return own + list(self.__dict__.get("_added_losses", ()))

    @losses.setter
    def losses(self, losses):
        object.__setattr__(self, "_added_losses", list(losses or ()))

    def add_loss(self, losses, inputs=None):
        """Keras 1.2.2 ``Layer.add_loss``: extra loss tensors listed in ``layer.losses``."""
        self._add_tracked("_added_losses", "_per_input_losses", losses, inputs)

    def _add_tracked(self, added_attr, per_input_attr, items, inputs):
        """``add_loss``/``add_update``: append to the layer's list, and to the list kept for
        these inputs (``get_losses_for``/``get_updates_for``)."""
        if items is None or items == []:
            return
        items = list(items) if isinstance(items, (list, tuple)) else [items]
        object.__setattr__(self, added_attr, list(self.__dict__.get(added_attr, ())) + items)
        per_input = self.__dict__.get(per_input_attr)
        if per_input is None:
            per_input = {}
            object.__setattr__(self, per_input_attr, per_input)
        per_input.setdefault(_inputs_key(inputs), []).extend(items)

    def get_losses_for(self, inputs):
        """Keras 1.2.2: the ``add_loss`` losses given for these inputs (None: unconditional)."""
        return list(self.__dict__.get("_per_input_losses", {}).get(_inputs_key(inputs), []))

    def get_updates_for(self, inputs):
        """Keras 1.2.2: the ``add_update`` updates given for these inputs (None: unconditional)."""
        return list(self.__dict__.get("_per_input_updates", {}).get(_inputs_key(inputs), []))

    @property
    def updates(self):
        """Keras 1's ``layer.updates``: ``(variable, new_value)`` pairs.  As in Keras 1 a layer
        without updates has no such attribute (``hasattr`` is False); a model lists its layers'
        updates (possibly none)."""
        added = self.__dict__.get("_added_updates")
        if isinstance(getattr(type(self), "layers", None), property):
            own = [update for layer in self.layers for update in getattr(layer, "updates", ())]
        else:
            own = self.keras1_updates()
        if added is None and own is None:
            raise AttributeError("Layer %s has no updates" % self.name)
        return list(own or ()) + list(added or ())

    @updates.setter
    def updates(self, updates):
        object.__setattr__(self, "_added_updates", list(updates or ()))

    def add_update(self, updates, inputs=None):
        """Keras 1.2.2 ``Layer.add_update``: pairs listed in ``layer.updates``."""
        self._add_tracked("_added_updates", "_per_input_updates", updates, inputs)

    def keras1_updates(self):
        """The layer's own Keras-1 updates, or None where Keras 1 had no ``updates``."""
        return None

    # Keras 1 pinned the full input shape (not only the rank) in some layers' ``input_spec``
    # once built, and a float dtype in the dense family's.
    input_spec_pins_shape = False
    input_spec_dtype = None
    # The rank Keras 1 declared where it differs from the rank checked here ("any": no spec).
    input_spec_ndim = None

    @property
    def input_spec(self):
        """Keras 1's ``input_spec``: a list of ``InputSpec`` (rank, and for some layers the
        built shape), or None where any input is accepted; custom layers may assign it."""
        if "_input_spec" in self.__dict__:
            return self.__dict__["_input_spec"]
        if self.input_spec_pins_shape and self._input_shapes:
            return [InputSpec(dtype=self.input_spec_dtype, shape=self._input_shapes[0])]
        ndim = self.input_spec_ndim
        if ndim is None and self.input_ndim is not None:
            ndim = self.input_ndim
        elif ndim is None and self.min_input_ndim is not None:
            ndim = "%d+" % self.min_input_ndim
        if ndim is None or ndim == "any":
            return None
        return [InputSpec(dtype=self.input_spec_dtype, ndim=ndim)]

    @input_spec.setter
    def input_spec(self, spec):
        object.__setattr__(self, "_input_spec", spec)

    @property
    def regularizers(self):
        """Deprecated in Keras 1.2.2 (always ``[]``, with its warning)."""
        warnings.warn(REGULARIZERS_DEPRECATION)
        return []

    @regularizers.setter
    def regularizers(self, _):
        warnings.warn(REGULARIZERS_DEPRECATION)

    # -- Keras-1 weight attributes (``layer.W``, ``layer.gamma``, ``layer.W_i``) ---------------
    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            view = self._keras1_weight_attribute(name)
            if view is None:
                raise
            return view

    def __setattr__(self, name, value):
        # ``layer.W = array`` (or a tensor, or ``K.variable(...)``) on a built layer stores the
        # value into the weight, in Keras-1 layout: the parameter the layer trains stays the
        # same object, so the optimizer and get_weights() see the new value.
        if isinstance(value, (torch.Tensor, np.ndarray)) and not name.startswith("_") \
                and self.__dict__.get("built") and not self.__dict__.get("_resolving_attribute"):
            spec = self._keras1_spec_named(name)
            if spec is not None:
                if isinstance(value, torch.Tensor):
                    value = value.detach().cpu().numpy()
                _write_through_spec(self, spec, value)
                return
        super().__setattr__(name, value)

    def _keras1_spec_named(self, name):
        state = self.__dict__
        state["_resolving_attribute"] = True
        try:
            return next((s for s in self.weight_specs() if s.suffix == name
                         and "." not in s.attr), None)
        finally:
            state["_resolving_attribute"] = False

    def _keras1_weight_attribute(self, name):
        """The Keras-1 weight attribute ``name`` as a live view, or None.

        Keras 1 kept each weight variable as a layer attribute named by its suffix; here the
        torch parameter lives under another attribute (``W`` is ``weight``, transposed), so the
        attribute is answered by a view in Keras-1 layout that ``K.get_value`` reads and
        ``K.set_value`` writes back into the parameter."""
        state = self.__dict__
        if name.startswith("_") or not state.get("built") or state.get("_resolving_attribute"):
            return None
        spec = self._keras1_spec_named(name)
        if spec is None or spec.attr == name:
            return None
        return keras1_weight_view(self, spec.suffix, spec.to_keras(getattr(self, spec.attr)),
                                  functools.partial(_write_through_spec, self, spec))

    def keras1_weight_names(self):
        """Keras-1 variable names (``dense_1_W``), in ``get_weights()`` order."""
        return ["%s_%s" % (self.name, s.suffix) for s in self._ordered_specs()]

    def get_weights(self):
        """The weights as NumPy arrays in Keras-1 layout and order."""
        return [s.to_keras(getattr(self, s.attr).detach()).cpu().numpy().copy()
                for s in self._ordered_specs()]

    def set_weights(self, weights):
        """Load Keras-1-layout arrays; nothing changes unless every array fits."""
        specs = self._ordered_specs()
        weights = list(weights)
        if len(weights) != len(specs):
            raise ValueError(
                'You called `set_weights(weights)` on layer "%s" with a weight list of length %d, '
                "but the layer was expecting %d weights." % (self.name, len(weights), len(specs)))
        converted = []
        for spec, value in zip(specs, weights):
            target = getattr(self, spec.attr)
            expected = tuple(spec.to_keras(target.detach()).shape)
            value = np.asarray(value)
            if tuple(value.shape) != expected:
                raise ValueError("Layer %s: weight %s_%s has shape %s, but the provided weight has "
                                 "shape %s" % (self.name, self.name, spec.suffix, expected,
                                               tuple(value.shape)))
            # ascontiguousarray turns a 0-d array (a step counter) into shape (1,)
            tensor = torch.as_tensor(np.ascontiguousarray(value).reshape(value.shape),
                                     dtype=target.dtype)
            converted.append((target, spec.from_keras(tensor)))
        with torch.no_grad():
            for target, tensor in converted:
                target.copy_(tensor)

    # -- reading weights files written in the other dim ordering (saving.assignment) ----------
    def flattened_image_shape(self):
        """The image shape (without the batch axis) this layer flattens into one feature axis,
        or None. The feature order of a flattened image depends on its dim ordering, so the
        layer after this one reads a file of the other ordering through
        ``reorder_input_features``."""
        return None

    def reorder_input_features(self, arrays, reorder):
        """This layer's Keras-1 arrays from a file whose flattened input features came in
        another order; ``reorder(matrix)`` puts a matrix's rows (one per input feature) in this
        model's order. Layers whose weights do not index input features keep them as they are."""
        return arrays

    def count_params(self):
        if not self.built:
            raise RuntimeError("You tried to call `count_params` on %s, but the layer isn't built. "
                               "You can build it manually via: `%s.build(batch_input_shape)`."
                               % (self.name, self.name))
        return sum(int(w.numel()) for w in self.weights)

    @property
    def constraints(self):
        """Callable: ``layer.constraints()`` is ``{parameter: fn}`` applying each Keras-1
        constraint in Keras-1 layout.  Also a dict that Keras-1 custom layers assign
        (``self.constraints = {self.W: maxnorm(2)}``) or fill (``add_weight(constraint=)``)."""
        found = self.__dict__.get("_user_constraints")
        if found is None:
            found = _ConstraintMap(self)
            object.__setattr__(self, "_user_constraints", found)
        return found

    @constraints.setter
    def constraints(self, mapping):
        found = _ConstraintMap(self)
        found.update(mapping or {})
        object.__setattr__(self, "_user_constraints", found)

    def _spec_constraints(self):
        found = {}
        for spec in self.weight_specs():
            constraint = self._constraint_for(spec.suffix)
            if constraint is not None:
                found[getattr(self, spec.attr)] = _in_keras_layout(constraint, spec)
        return found

    def _constraint_for(self, suffix):
        return getattr(self, suffix + "_constraint", None)

    def regularizer_for(self, suffix):
        """The regularizer of the weight with this Keras-1 suffix (``W`` -> ``W_regularizer``)."""
        return getattr(self, suffix + "_regularizer", None)

    def has_regularizers(self):
        return (self.activity_regularizer is not None
                or bool(self.__dict__.get("_weight_regularizers"))
                or any(self.regularizer_for(spec.suffix) is not None
                       for spec in self.weight_specs()))

    def trainable_parameters(self):
        """``(keras1_name, parameter)`` per trainable parameter, named by its first Keras-1
        weight (a packed parameter holding several Keras-1 weights is listed once)."""
        trainable = {id(w) for w in self.trainable_weights}
        found, seen = [], set()
        specs = self._ordered_specs()
        names = self.keras1_weight_names()
        if len(names) != len(specs):
            names = ["%s_%s" % (self.name, spec.suffix) for spec in specs]
        for name, spec in zip(names, specs):
            param = getattr(self, spec.attr)
            if id(param) in trainable and id(param) not in seen:
                seen.add(id(param))
                found.append((name, param))
        for weight in self.trainable_weights:
            if id(weight) not in seen:
                seen.add(id(weight))
                found.append(("%s_%d" % (self.name, len(found)), weight))
        return found

    def regularization_losses(self):
        """Penalties of the weight regularizers plus the last forward's activity one."""
        losses = []
        for spec in self.weight_specs():
            regularizer = self.regularizer_for(spec.suffix)
            if regularizer is not None:
                losses.append(regularizer(spec.to_keras(getattr(self, spec.attr))))
        for regularizer, param in self.__dict__.get("_weight_regularizers", ()):
            losses.append(regularizer(param))
        if self._activity_loss is not None:
            losses.append(self._activity_loss)
        return losses

    # -- config -------------------------------------------------------------------------
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable}
        if self.batch_input_shape is not None:
            config["batch_input_shape"] = self.batch_input_shape
            config["input_dtype"] = self.input_dtype
        defaults = _constructor_defaults(type(self))
        for key, value in self._init_args.items():
            if key in BASE_KWARGS or key in self.config_exclude:
                continue
            current = getattr(self, key, value) if key in self.__dict__ else value
            value = serialize_value(current)
            if key in self.config_extensions and value == defaults.get(key):
                continue
            config[key] = value
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def extra_repr(self):
        return "name=%r" % self.name


def _inputs_key(inputs):
    """Keras 1's key for conditional losses/updates: the identity of the inputs (None: none)."""
    if inputs is None:
        return None
    inputs = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    return tuple(id(x) for x in inputs)


def keras1_weight_view(layer, suffix, tensor, write=None):
    """``tensor`` (a Keras-1-layout view of a parameter) given the value access of a Keras-1
    weight variable: ``K.get_value``/``K.set_value`` and Theano's ``.get_value()`` /
    ``.set_value()``.  ``write`` stores a Keras-1-layout array into the parameter (default: copy
    into ``tensor``, which must then be a true view of it)."""
    if write is None:
        write = functools.partial(_write_through_view, layer, suffix, tensor)
    tensor.get_value = lambda borrow=False: tensor.detach().cpu().numpy().copy()
    tensor.set_value = lambda value, borrow=False: write(value)
    tensor._keras1_write = write
    return tensor


def _checked_value(layer, suffix, expected_shape, value):
    value = np.asarray(value)
    if tuple(value.shape) != tuple(expected_shape):
        raise ValueError("Layer %s: weight %s has shape %s, but the value has shape %s"
                         % (layer.name, suffix, tuple(expected_shape), tuple(value.shape)))
    return value


def _write_through_spec(layer, spec, value):
    target = getattr(layer, spec.attr)
    value = _checked_value(layer, spec.suffix, spec.to_keras(target.detach()).shape, value)
    tensor = torch.as_tensor(np.ascontiguousarray(value), dtype=target.dtype)
    with torch.no_grad():
        target.copy_(spec.from_keras(tensor))


def _write_through_view(layer, suffix, view, value):
    value = _checked_value(layer, suffix, view.shape, value)
    with torch.no_grad():
        view.copy_(torch.as_tensor(np.ascontiguousarray(value), dtype=view.dtype))


class _ConstraintMap(dict):
    """The ``constraints`` of a layer: a dict of user constraints that is also callable."""

    def __init__(self, layer):
        super().__init__()
        self._layer = layer

    def __call__(self):
        found = self._layer._spec_constraints()
        found.update(self)
        return found

    def __hash__(self):
        return id(self)


def _in_keras_layout(constraint, spec):
    def apply(param):
        return spec.from_keras(constraint(spec.to_keras(param)))
    return apply


@functools.lru_cache(maxsize=None)
def _constructor_defaults_cached(cls):
    signature = inspect.signature(cls.__init__)
    return {name: p.default for name, p in signature.parameters.items()
            if p.default is not inspect.Parameter.empty}


def _constructor_defaults(cls):
    return _constructor_defaults_cached(cls)
