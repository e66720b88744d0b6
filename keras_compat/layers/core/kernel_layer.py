"""``KernelLayer``: the base of the densely connected layers (``Dense``,
``TimeDistributedDense``, ``Highway``, ``MaxoutDense``).

Each of them takes Keras 1's kernel arguments (``init``, ``weights``, the ``W_``/``b_``
regularizers and constraints, ``bias``, ``input_dim``), learns the input dimension (the last
axis) at build, and holds a few weights whose Keras-1 layout differs from the torch layout by
a fixed map. A subclass declares those weights once, in :meth:`KernelLayer.kernel_weights`;
building, ``reset_parameters``, ``weight_specs`` and the input check all come from that
declaration.
"""
import collections

import torch

from keras_compat import activations, initializations
from keras_compat.engine.layer import Layer, WeightSpec, transpose_2d
from keras_compat.layers.kernel_arguments import store_kernel_arguments


class Layout(collections.namedtuple("Layout", "to_keras from_keras torch_shape")):
    """How a torch parameter holds a Keras-1 weight: ``to_keras(parameter)`` and
    ``from_keras(array)`` map the values, ``torch_shape(keras_shape)`` the shape (so that the
    parameter is allocated without building a Keras-layout tensor first)."""


SAME = Layout(lambda tensor: tensor, lambda tensor: tensor, tuple)
# torch ``nn.Linear`` layout ``(out, in)`` of a Keras-1 ``(in, out)`` matrix.
TRANSPOSED = Layout(transpose_2d, transpose_2d, lambda shape: tuple(reversed(shape)))


class KernelWeight(collections.namedtuple(
        "KernelWeight", "suffix attr keras_shape init layout is_bias")):
    """One weight of a kernel layer.

    # Fields
        suffix: its Keras-1 name (``W``, ``b``, ``W_carry``); the engine pairs ``<suffix>_
            regularizer``/``<suffix>_constraint`` with it.
        attr: the torch parameter's attribute name (``weight``, ``bias``).
        keras_shape: its shape in Keras 1's layout, which is the shape ``init`` is drawn on (so
            the fans of the initializer are Keras 1's).
        init: ``f(shape) -> tensor`` drawing its initial value in Keras-1 layout.
        layout: a :class:`Layout` (torch layout vs Keras 1's).
        is_bias: it exists only with ``bias=True``.
    """


def kernel_weight(suffix, attr, keras_shape, init, layout=SAME, is_bias=False):
    """A :class:`KernelWeight`."""
    return KernelWeight(suffix, attr, tuple(keras_shape), init, layout, is_bias)


class KernelLayer(Layer):
    """Base of the Keras-1 densely connected layers.

    # Arguments
        init: initializer of the kernels (a Keras-1 name or a function).
        activation: activation of the output (``None``: linear).
        weights: initial Keras-1 weights, set after build.
        W_regularizer, b_regularizer, activity_regularizer, W_constraint, b_constraint,
            bias: Keras 1's kernel arguments.
        input_dim: with no ``input_shape``/``batch_input_shape`` given, the input shape
            becomes ``(input_dim,)``.
        **kwargs: the base layer's arguments.

    A subclass implements :meth:`kernel_weights`; the input dimension found at build is
    ``self._n_in``.
    """

    family_base = True  # shared code, not a Keras-1 layer: configs cannot name it

    input_spec_dtype = "float32"

    def __init__(self, init, activation, weights, W_regularizer, b_regularizer,
                 activity_regularizer, W_constraint, b_constraint, bias, input_dim, **kwargs):
        if input_dim is not None and not ({"input_shape", "batch_input_shape"} & set(kwargs)):
            kwargs["input_shape"] = (input_dim,)
        super().__init__(**kwargs)
        self.init = initializations.get(init)
        self.activation = activations.get(activation)
        store_kernel_arguments(self, W_regularizer, b_regularizer, activity_regularizer,
                               W_constraint, b_constraint, bias)
        self.input_dim = input_dim
        self.initial_weights = weights

    def kernel_weights(self, n_in):
        """The layer's :class:`KernelWeight` list for input dimension ``n_in``, in the order
        Keras 1 listed (and drew) them, biases included whether or not ``bias`` is on."""
        raise NotImplementedError

    def _present_weights(self):
        if "_n_in" not in self.__dict__:  # not built: no weights yet
            return []
        return [w for w in self.kernel_weights(self._n_in) if self.has_bias or not w.is_bias]

    def build(self, input_shape):
        n_in = input_shape[-1]
        if n_in is None:
            raise ValueError("Layer %s: the last dimension of the input must be known, got input "
                             "shape %s" % (self.name, input_shape))
        self._n_in = n_in
        for weight in self.kernel_weights(n_in):
            if weight.is_bias and not self.has_bias:
                self.register_parameter(weight.attr, None)
                continue
            torch_shape = weight.layout.torch_shape(weight.keras_shape)
            setattr(self, weight.attr, torch.nn.Parameter(torch.empty(torch_shape)))
        self.reset_parameters()

    def reset_parameters(self):
        """Draw every weight afresh from its initializer, in Keras-1 order."""
        with torch.no_grad():
            for weight in self._present_weights():
                value = weight.layout.from_keras(weight.init(weight.keras_shape))
                getattr(self, weight.attr).copy_(value)

    def weight_specs(self):
        return [WeightSpec(w.suffix, w.attr, w.layout.to_keras, w.layout.from_keras)
                for w in self._present_weights()]

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        if self.built and input_shape[-1] not in (None, self._n_in):
            raise ValueError("Input 0 is incompatible with layer %s: expected axis -1 of input "
                             "shape to have value %d but got shape %s"
                             % (self.name, self._n_in, input_shape))
