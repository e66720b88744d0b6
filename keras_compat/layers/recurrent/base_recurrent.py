"""``Recurrent``: the shared base of ``SimpleRNN``, ``GRU`` and ``LSTM`` (and other RNN layers).

A subclass declares its gates and supplies the computation; the base owns the Keras-1
plumbing every recurrent layer shares: the common constructor arguments, shapes,
masks, ``go_backwards``, ``stateful`` states and ``reset_states()``, per-sequence dropout
masks, the packed torch-layout parameters and the Keras-1 views of them.

Parameters are stored once, packed in torch layout with gate blocks in a fixed internal
order (``GATES``): ``weight_ih`` ``(G*n, input_dim)``, ``weight_hh`` ``(G*n, n)``,
``bias`` ``(G*n,)``.  ``get_weights()`` exposes them in the Keras-1 layout of the layer's
``consume_less`` mode through views (``W_i`` is ``weight_ih[i-block].T`` and so on), so
writing a Keras-1 array writes straight into the packed parameter.
"""
import torch

from keras_compat import activations, initializations, regularizers
from keras_compat._args import values
from keras_compat._args.rules import Rename
from keras_compat.backend.ops import inverted_dropout_noise
from keras_compat.engine.layer import Layer, WeightSpec, keras1_weight_view

_IMPLEMENTATIONS = ("auto", "fused", "loop")
_implementation = "auto"


def set_implementation(mode):
    """Choose how recurrent layers run: ``'auto'`` (default), ``'fused'`` or ``'loop'``.

    ``'auto'`` uses torch's fused RNN kernels (cuDNN on CUDA) whenever the layer's math
    is exactly what they compute (LSTM with ``inner_activation='sigmoid'`` and
    ``activation='tanh'``, SimpleRNN with ``tanh``/``relu``) and there is no mask and no
    active dropout; LSTM and GRU with ``hard_sigmoid`` (Keras 1's default) or ``sigmoid``
    gates and ``tanh``, with or without dropout, run a fused recurrence with a
    hand-written backward (``fused_recurrence``; a masked GRU excepted); everything else
    runs the plain autograd step loop.  ``'loop'`` always runs the plain autograd step loop (the reference the
    fast paths are tested against).  ``'fused'`` behaves as ``'auto'``: a configuration
    the fused kernels cannot compute exactly still runs a loop rather than give other
    numbers.
    """
    global _implementation
    _implementation = values.check_choice("set_implementation", "mode", mode, _IMPLEMENTATIONS)


def get_implementation():
    return _implementation


def fast_loop_enabled():
    """Whether the fused recurrences (hand-written backward) may replace the autograd step
    loop."""
    return _implementation != "loop"


# Keras-2 spellings of the arguments shared by SimpleRNN, GRU and LSTM.
RECURRENT_ALIASES = (
    Rename("units", "output_dim", example=3),
    Rename("kernel_initializer", "init", example="glorot_uniform"),
    Rename("recurrent_initializer", "inner_init", example="orthogonal"),
    Rename("kernel_regularizer", "W_regularizer", example=None),
    Rename("recurrent_regularizer", "U_regularizer", example=None),
    Rename("bias_regularizer", "b_regularizer", example=None),
    Rename("dropout", "dropout_W", example=0.25),
    Rename("recurrent_dropout", "dropout_U", example=0.25),
)


class Recurrent(Layer):
    """Abstract base for recurrent layers (Keras-1 ``keras.layers.recurrent.Recurrent``).

    # Arguments
        weights: list of NumPy arrays to set as initial weights (Keras-1 layout of the
            layer's ``consume_less`` mode).
        return_sequences: return the full output sequence (``True``) or only the last
            output.
        go_backwards: process the input sequence backwards.  As in Keras 1 the returned
            sequence is in processing order, i.e. reversed in time.
        stateful: keep the last states of each batch as the initial states of the next
            batch (sample ``i`` of a batch continues sample ``i`` of the previous one).
            Needs a fixed batch size (``batch_input_shape`` on the first layer);
            ``reset_states()`` zeroes the states.
        unroll: accepted for compatibility; the numbers are the same either way.  As in
            Keras 1 it needs a known number of timesteps.
        consume_less: ``'cpu'`` (default), ``'mem'`` or ``'gpu'``: chooses the Keras-1
            weight layout (separate per-gate arrays for cpu/mem, packed arrays for gpu),
            the Keras-1 initialisation and regularisation quirks tied to it, and how
            dropout masks are shared across gates.  The computation is the same.
        input_dim: dimensionality of the input (for the first layer of a model).
        input_length: length of the input sequences when it is constant.

    # Input shape
        3D tensor ``(nb_samples, timesteps, input_dim)``.

    # Output shape
        ``(nb_samples, timesteps, output_dim)`` with ``return_sequences``, else
        ``(nb_samples, output_dim)``.

    # Masking
        A mask ``(nb_samples, timesteps)`` (from ``Embedding(mask_zero=True)`` or
        ``Masking``) skips timesteps: at a masked step every state is carried over
        unchanged and the output repeats the previous output (zeros before the first
        unmasked step).  With ``return_sequences`` the mask is passed on, otherwise the
        output has no mask.

    # Subclass protocol
        ``GATES`` (gate names in the internal packed order); ``reset_parameters()``
        initialising in Keras-1 draw order (the base ``build`` allocates, then calls it);
        ``keras_views()`` maps Keras-1 weight suffixes to views; ``state_names``; ``run(x,
        mask, states, dropout_masks)`` returns ``(outputs or last_output, new_states)``.

    # Torch mapping
        ``weight_ih`` ``(G*n, input_dim)``, ``weight_hh`` ``(G*n, n)``, ``bias`` ``(G*n,)``
        with G gate blocks in ``GATES`` order; stateful states are non-persistent
        buffers ``state_0, state_1, ...`` (not saved with the weights, as in Keras 1).
    """

    input_spec_pins_shape = True
    # Keras 1's LSTM and GRU regularised their per-gate recurrent matrices (``U_i``, the
    # cpu/mem layout) with ``W_regularizer``: a quirk kept for identical losses.
    per_gate_U_regularized_with_W = False

    GATES = ("h",)
    state_names = ("h",)
    supports_masking = True
    input_ndim = 3
    config_exclude = ("weights",)

    def __init__(self, weights=None, return_sequences=False, go_backwards=False, stateful=False,
                 unroll=False, consume_less="cpu", input_dim=None, input_length=None, **kwargs):
        if input_dim is not None and "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length, input_dim)
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.return_sequences = bool(return_sequences)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.consume_less = values.check_choice(owner, "consume_less", consume_less,
                                                ("cpu", "mem", "gpu"))
        self.input_dim = input_dim
        self.input_length = input_length
        self.initial_weights = weights
        self.batch_size = None

    # -- shapes --------------------------------------------------------------------------------
    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        if input_shape[2] is None:
            raise ValueError("Layer %s: the last dimension (input_dim) of the input must be known, "
                             "got input shape %s" % (self.name, input_shape))
        if self.built and input_shape[2] != self.input_dim:
            raise ValueError("Input 0 is incompatible with layer %s: expected axis -1 of input shape "
                             "to have value %d but got shape %s"
                             % (self.name, self.input_dim, input_shape))
        if self.unroll and input_shape[1] is None:
            raise ValueError("Layer %s: unroll=True needs a known number of timesteps; give "
                             "input_length (or a full input_shape)." % self.name)
        if self.stateful and input_shape[0] is None:
            raise ValueError(
                "Layer %s: if a RNN is stateful, it needs to know its batch size. Specify the batch "
                "size of your input tensors: - If using a Sequential model, specify the batch size "
                "by passing a `batch_input_shape` argument to your first layer. - If using the "
                "functional API, specify the time dimension by passing a `batch_shape` argument to "
                "your Input layer." % self.name)

    def get_output_shape_for(self, input_shape):
        if self.return_sequences:
            return (input_shape[0], input_shape[1], self.output_dim)
        return (input_shape[0], self.output_dim)

    def output_has_mask(self, input_has_mask):
        return bool(input_has_mask and self.return_sequences)

    def compute_mask(self, x, mask=None):
        return mask if self.return_sequences else None

    # -- parameters ----------------------------------------------------------------------------
    def _allocate(self, input_shape):
        """Create the packed parameters (and the state buffers of a stateful layer)."""
        self.input_dim = int(input_shape[2])
        if self.input_length is None:
            self.input_length = input_shape[1]
        size = len(self.GATES) * self.output_dim
        self.weight_ih = torch.nn.Parameter(torch.empty(size, self.input_dim))
        self.weight_hh = torch.nn.Parameter(torch.empty(size, self.output_dim))
        self.bias = torch.nn.Parameter(torch.empty(size))
        if self.stateful:
            self.batch_size = int(input_shape[0])
            for k in range(len(self.state_names)):
                self.register_buffer("state_%d" % k, torch.zeros(self.batch_size, self.output_dim),
                                     persistent=False)

    def build(self, input_shape):
        self._allocate(input_shape)
        self.reset_parameters()
        self._finish_build()

    def reset_parameters(self):
        """Draw the packed parameters in Keras 1's initialisation order (a subclass' own)."""
        raise NotImplementedError("%s must define reset_parameters() (or its own build())"
                                  % type(self).__name__)

    def gate_slice(self, gate):
        k = self.GATES.index(gate)
        return slice(k * self.output_dim, (k + 1) * self.output_dim)

    def keras_views(self):
        """``[(suffix, view)]`` in Keras-1 ``get_weights()`` order for this ``consume_less``."""
        if self.consume_less == "gpu" or len(self.GATES) == 1:
            return [("W", self.weight_ih.t()), ("U", self.weight_hh.t()), ("b", self.bias)]
        views = []
        for gate in self.keras_gate_order():
            rows = self.gate_slice(gate)
            views += [("W_" + gate, self.weight_ih[rows].t()), ("U_" + gate, self.weight_hh[rows].t()),
                      ("b_" + gate, self.bias[rows])]
        return views

    def keras_gate_order(self):
        """Gate order of the Keras-1 cpu/mem ``get_weights()`` list."""
        return self.GATES

    def __getattr__(self, name):
        views = self.__dict__.get("_view_suffixes")
        if views and name in views:
            return keras1_weight_view(self, name, dict(self.keras_views())[name])
        return super().__getattr__(name)

    def weight_specs(self):
        if not self.built:
            return []
        return [WeightSpec(suffix, suffix) for suffix in self.__dict__["_view_suffixes"]]

    def _finish_build(self):
        object.__setattr__(self, "_view_suffixes", tuple(s for s, _ in self.keras_views()))

    def _params(self):
        return [self.weight_ih, self.weight_hh, self.bias] if self.built else []

    @property
    def trainable_weights(self):
        if self._explicit_trainable_weights is not None or not self.trainable:
            return Layer.trainable_weights.fget(self)
        return self._params()

    @trainable_weights.setter
    def trainable_weights(self, weights):
        Layer.trainable_weights.fset(self, weights)

    @property
    def non_trainable_weights(self):
        if self._explicit_non_trainable_weights is not None:
            return Layer.non_trainable_weights.fget(self)
        return [] if self.trainable else self._params()

    @non_trainable_weights.setter
    def non_trainable_weights(self, weights):
        Layer.non_trainable_weights.fset(self, weights)

    def regularizer_for(self, suffix):
        """Keras-1 regularizer of one weight (``W_i`` -> ``W_regularizer``)."""
        if suffix.startswith("U_") and self.per_gate_U_regularized_with_W:
            return self.W_regularizer
        return getattr(self, suffix[0] + "_regularizer", None)

    def has_regularizers(self):
        return any(getattr(self, name, None) is not None
                   for name in ("W_regularizer", "U_regularizer", "b_regularizer"))

    def regularization_losses(self):
        losses = []
        if not self.built:
            return losses
        for suffix, view in self.keras_views():
            regularizer = self.regularizer_for(suffix)
            if regularizer is not None:
                losses.append(regularizer(view))
        return losses

    def _set_cell_arguments(self, output_dim, init, inner_init, activation, W_regularizer,
                            U_regularizer, b_regularizer, dropout_W, dropout_U):
        """Check and store the arguments SimpleRNN, GRU and LSTM share under their Keras-1
        names (``get_config`` echoes them)."""
        self.output_dim = values.check_positive_int(type(self).__name__, "output_dim",
                                                    output_dim)
        self.init = initializations.get(init)
        self.inner_init = initializations.get(inner_init)
        self.activation = activations.get(activation)
        self._set_regularizers(W_regularizer, U_regularizer, b_regularizer)
        self._set_dropout(dropout_W, dropout_U)

    def _set_regularizers(self, W_regularizer, U_regularizer, b_regularizer):
        self.W_regularizer = regularizers.get(W_regularizer)
        self.U_regularizer = regularizers.get(U_regularizer)
        self.b_regularizer = regularizers.get(b_regularizer)

    def _set_dropout(self, dropout_W, dropout_U):
        owner = type(self).__name__
        for arg, value in (("dropout_W", dropout_W), ("dropout_U", dropout_U)):
            if not 0.0 <= float(value) < 1.0:
                raise ValueError("%s: %s must be in [0, 1), got %r" % (owner, arg, value))
        self.dropout_W = float(dropout_W)
        self.dropout_U = float(dropout_U)
        self.uses_learning_phase = bool(self.dropout_W or self.dropout_U)

    # -- states --------------------------------------------------------------------------------
    @property
    def states(self):
        """The current states (stateful layers) as tensors, else ``[None] * n`` as Keras 1."""
        if not (self.stateful and self.built):
            return [None] * len(self.state_names)
        return [getattr(self, "state_%d" % k) for k in range(len(self.state_names))]

    def keras1_updates(self):
        """A stateful layer's ``(state, new state)`` pairs, as Keras 1 listed them in
        ``updates``; torch carries the states over in place, so each pair names the state
        buffer twice.  Other recurrent layers had no updates."""
        if not (self.stateful and self.built):
            return None
        return [(state, state) for state in self.states]

    def reset_states(self, states=None):
        """Zero the states of a stateful layer (or set them from NumPy arrays)."""
        if not self.stateful:
            raise AttributeError("Layer %s: reset_states() needs a stateful layer "
                                 "(stateful=True)." % self.name)
        if not self.built:
            raise ValueError("Layer %s: if a RNN is stateful, it needs to know its batch size; "
                             "build it first (give batch_input_shape)." % self.name)
        with torch.no_grad():
            for k, buf in enumerate(self.states):
                if states is None:
                    buf.zero_()
                else:
                    value = torch.as_tensor(states[k], dtype=buf.dtype)
                    if tuple(value.shape) != tuple(buf.shape):
                        raise ValueError("Layer %s: state %d should have shape %s, got %s"
                                         % (self.name, k, tuple(buf.shape), tuple(value.shape)))
                    buf.copy_(value)

    def _initial_states(self, x):
        batch = x.shape[0]
        if self.stateful:
            if batch != self.batch_size:
                raise ValueError("Layer %s is stateful with batch size %d, but was given a batch of "
                                 "%d samples; feed batches of exactly %d (e.g. predict(..., "
                                 "batch_size=%d) on a number of samples divisible by it)."
                                 % (self.name, self.batch_size, batch, self.batch_size,
                                    self.batch_size))
            # A copy: the kernels save the initial states for backward, and call() overwrites
            # the state buffers in place right after the forward pass.
            return [s.to(dtype=x.dtype, copy=True) for s in self.states]
        zeros = x.new_zeros(batch, self.output_dim)
        return [zeros] * len(self.state_names)

    # -- dropout -------------------------------------------------------------------------------
    def _dropout_masks(self, x):
        """Per-sequence (variational) masks ``(mask_W, mask_U)``, each ``(G, B, dim)`` or None.

        Drawn once per batch and reused at every step, training phase only, scaled by
        ``1/(1-p)``.  cpu/mem modes draw one mask per gate; gpu mode shares the first
        (Keras 1 used only ``B_W[0]``/``B_U[0]`` there).
        """
        if not self.training:
            return None, None
        gates = len(self.GATES)
        batch = x.shape[0]

        def draw(p, dim, enabled=True):
            if p <= 0 or not enabled:
                return None
            count = 1 if self.consume_less == "gpu" else gates
            mask = inverted_dropout_noise((count, batch, dim), 1.0 - p, x)
            return mask.expand(gates, batch, dim) if count == 1 else mask

        return (draw(self.dropout_W, self.input_dim, self._uses_dropout_W()),
                draw(self.dropout_U, self.output_dim))

    def _uses_dropout_W(self):
        return True

    # -- running -------------------------------------------------------------------------------
    def call(self, x, mask=None):
        if x.dim() != 3:
            raise ValueError("Input 0 is incompatible with layer %s: expected ndim=3, found ndim=%d"
                             % (self.name, x.dim()))
        if mask is not None:
            mask = mask.to(torch.bool)
            if mask.dim() == 3:
                mask = mask.any(-1)
        if self.go_backwards:
            x = torch.flip(x, (1,))
            mask = None if mask is None else torch.flip(mask, (1,))
        states = self._initial_states(x)
        mask_W, mask_U = self._dropout_masks(x)
        output, new_states = self.run(x, mask, states, mask_W, mask_U)
        if self.stateful:
            with torch.no_grad():
                for buf, value in zip(self.states, new_states):
                    buf.copy_(value.detach())
        return output

    def run(self, x, mask, states, mask_W, mask_U):  # pragma: no cover - abstract
        raise NotImplementedError

    def _project_inputs(self, x, w_ih, bias, mask_W):
        """``x . W + b`` for every timestep at once, time-major ``(T, B, G*n)``."""
        xt = x.transpose(0, 1)
        if mask_W is None:
            return torch.nn.functional.linear(xt, w_ih, bias)
        gates = mask_W.shape[0]
        n = w_ih.shape[0] // gates
        dropped = xt.unsqueeze(2) * mask_W.transpose(0, 1).unsqueeze(0)  # (T, B, G, in)
        proj = torch.einsum("tbgi,gni->tbgn", dropped, w_ih.view(gates, n, -1))
        return proj.reshape(xt.shape[0], xt.shape[1], -1) + bias

    def _use_fused(self, mask, mask_U, mask_W):
        return (_implementation != "loop" and mask is None and mask_U is None and mask_W is None)

    def get_config(self):
        """Keras-1 keys: the layer's own arguments plus every ``Recurrent`` argument."""
        config = super().get_config()
        for key in ("return_sequences", "go_backwards", "stateful", "unroll", "consume_less",
                    "input_dim", "input_length"):
            config[key] = getattr(self, key)
        return config

    def extra_repr(self):
        return "name=%r, output_dim=%d, input_dim=%s, return_sequences=%s, consume_less=%r" % (
            self.name, self.output_dim, self.input_dim, self.return_sequences, self.consume_less)
