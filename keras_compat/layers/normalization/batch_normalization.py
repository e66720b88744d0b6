"""``BatchNormalization``: Keras 1's three normalisation modes."""
import torch

from keras_compat import initializations, regularizers
from keras_compat._args import groups, values
from keras_compat._args.rules import MapValues, Reject, Rename
from keras_compat.backend import config as backend_config
from keras_compat.backend import process_group
from keras_compat.engine.layer import Layer, WeightSpec

_NOT_IN_KERAS1 = ("does not exist in Keras 1.2.2: BatchNormalization always learns both gamma "
                  "and beta")


class BatchNormalization(Layer):
    """Normalize the activations of the previous layer at each batch.

    # Arguments
        epsilon: small float > 0, fuzz parameter.
        mode: 0, 1 or 2.
            - 0: feature-wise normalisation over every axis but ``axis``; training uses the
              batch statistics and updates the running ones, test uses the running ones.
            - 1: sample-wise normalisation over the last axis:
              ``(x - mean) / (sqrt(var + epsilon) + epsilon)``, then ``gamma * . + beta``.
            - 2: feature-wise like 0, but batch statistics in training and test alike.
        axis: the feature axis (default -1; ``axis=1`` for ``th`` images).
        momentum: keep ratio of the running averages
            (``running = momentum * running + (1 - momentum) * batch``).
        weights: ``[gamma, beta, running_mean, running_std]``, each ``(input_shape[axis],)``.
        beta_init, gamma_init: initializer names or functions (default ``'zero'``/``'one'``).
        gamma_regularizer, beta_regularizer: regularizers.

    # Torch mapping
        Parameters ``gamma``, ``beta``; buffers ``running_mean`` and ``running_std`` (the
        latter holds a **variance**, as in Keras 1).  The batch statistics are computed
        with ``torch.var_mean`` (biased variance); ``F.batch_norm`` is not used because
        its running update feeds the *unbiased* variance, which Keras 1 never did.
        ``mode=0`` in training feeds the running variance with the biased batch variance
        on the ``tensorflow`` backend and with ``var + epsilon`` on ``theano`` (what Theano
        0.9's ``batch_normalization_train`` round trip stores), read from the emulated
        backend at each update.  Keras-2 spellings ``beta_initializer`` /
        ``gamma_initializer`` are accepted; ``center``/``scale`` are refused.

    # Differences from Keras 1
        ``beta_init``/``gamma_init`` appear in ``get_config`` only when not at their
        defaults (Keras 1 never stored them, so a round trip lost them).
    """

    input_spec_pins_shape = True

    aliases = (
        Rename("beta_initializer", "beta_init", example="zero"),
        MapValues("beta_init", groups.INITIALIZER_NAMES, example="zeros"),
        Rename("gamma_initializer", "gamma_init", example="one"),
        MapValues("gamma_init", groups.INITIALIZER_NAMES, example="ones"),
        Reject("center", _NOT_IN_KERAS1, see="Keras 1.2.2 BatchNormalization signature",
               example=True),
        Reject("scale", _NOT_IN_KERAS1, see="Keras 1.2.2 BatchNormalization signature",
               example=True),
    )
    supports_masking = True
    config_extensions = ("beta_init", "gamma_init")

    def __init__(self, epsilon=1e-3, mode=0, axis=-1, momentum=0.99, weights=None,
                 beta_init="zero", gamma_init="one", gamma_regularizer=None,
                 beta_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)
        if not self.epsilon > 0:
            raise ValueError("BatchNormalization: epsilon must be > 0, got %r" % (epsilon,))
        self.mode = values.check_choice("BatchNormalization", "mode", mode, (0, 1, 2))
        self.uses_learning_phase = self.mode == 0
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError("BatchNormalization: axis must be an int, got %r" % (axis,))
        self.axis = axis
        self.momentum = float(momentum)
        self.beta_init = initializations.get(beta_init)
        self.gamma_init = initializations.get(gamma_init)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.initial_weights = weights
        self.features = None

    def _axis(self, ndim):
        axis = self.axis + ndim if self.axis < 0 else self.axis
        if not 0 <= axis < ndim:
            raise ValueError("Layer %s: axis=%d is out of range for an input of rank %d"
                             % (self.name, self.axis, ndim))
        return axis

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        axis = self._axis(len(input_shape))
        size = input_shape[axis]
        if size is None:
            raise ValueError("Layer %s: axis %d of the input shape %s must be known"
                             % (self.name, self.axis, tuple(input_shape)))
        if self.built and size != self.features:
            raise ValueError("Input 0 is incompatible with layer %s: expected axis %d of input shape "
                             "to have value %d but got shape %s"
                             % (self.name, self.axis, self.features, tuple(input_shape)))
        if self.mode == 1 and input_shape[-1] is not None and size not in (1, input_shape[-1]):
            raise ValueError("Layer %s: mode=1 broadcasts gamma/beta (size %d, from axis %d) on the "
                             "last axis of size %d; they must agree"
                             % (self.name, size, self.axis, input_shape[-1]))

    def build(self, input_shape):
        size = input_shape[self._axis(len(input_shape))]
        self.features = size
        self.gamma = torch.nn.Parameter(torch.empty(size))
        self.beta = torch.nn.Parameter(torch.empty(size))
        self.register_buffer("running_mean", torch.zeros(size))
        self.register_buffer("running_std", torch.ones(size))
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            self.gamma.copy_(self.gamma_init((self.features,)))
            self.beta.copy_(self.beta_init((self.features,)))
            self.running_mean.zero_()
            self.running_std.fill_(1.0)

    def keras1_updates(self):
        """Mode 0 moves ``running_mean``/``running_std`` during training, as Keras 1's two
        updates did; torch updates them in place in the forward pass, so each pair names the
        variable that changes (Keras-1 layout view) twice.  Modes 1 and 2 had no updates."""
        if self.mode != 0 or not self.built:
            return None
        return [(self.running_mean, self.running_mean), (self.running_std, self.running_std)]

    def weight_specs(self):
        return [WeightSpec("gamma", "gamma"), WeightSpec("beta", "beta"),
                WeightSpec("running_mean", "running_mean", trainable=False),
                WeightSpec("running_std", "running_std", trainable=False)]

    # -- running --------------------------------------------------------------------------
    def call(self, x, mask=None):
        ndim = x.dim()
        if self.mode == 1:
            mean = x.mean(dim=-1, keepdim=True)
            var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
            normed = (x - mean) / (torch.sqrt(var + self.epsilon) + self.epsilon)
            return self.gamma * normed + self.beta
        axis = self._axis(ndim)
        reduce_dims = tuple(d for d in range(ndim) if d != axis)
        shape = [1] * ndim
        shape[axis] = self.features

        def bcast(t):
            return t.reshape(shape)

        if self.mode == 2 or self.training:
            # Over the global batch when training data-parallel (synchronised statistics).
            var, mean = process_group.global_var_mean(x, reduce_dims)
            if self.mode == 0 and self.training:
                self._update_running(mean.detach(), var.detach())
        else:
            mean, var = self.running_mean, self.running_std
        scale = bcast(self.gamma) * torch.rsqrt(bcast(var) + self.epsilon)
        return (x - bcast(mean)) * scale + bcast(self.beta)

    def _update_running(self, mean, var):
        fed = var + self.epsilon if backend_config.backend() == "theano" else var
        keep = self.momentum
        with torch.no_grad():
            self.running_mean.mul_(keep).add_(mean.to(self.running_mean.dtype), alpha=1.0 - keep)
            self.running_std.mul_(keep).add_(fed.to(self.running_std.dtype), alpha=1.0 - keep)

    def extra_repr(self):
        return "name=%r, mode=%d, axis=%d, epsilon=%g, momentum=%g" % (
            self.name, self.mode, self.axis, self.epsilon, self.momentum)
