"""``ConvLSTM2D``: an LSTM whose input and recurrent transformations are convolutions."""
import torch

from keras_compat import activations, initializations, regularizers
from keras_compat._args import groups
from keras_compat._args.rules import Custom, Rename
from keras_compat.backend.convolution import conv_channels_first
from keras_compat.backend.ops import inverted_dropout_noise
from keras_compat.engine.layer import WeightSpec
from keras_compat.layers.convolutional import base_conv
from keras_compat.layers.convolutional_recurrent.conv_recurrent2d import ConvRecurrent2D
from keras_compat.layers.recurrent.base_recurrent import RECURRENT_ALIASES

# Keras-1 get_weights() order (i, c, f, o) and the order Keras 1 drew the initial values in.
GATES = ("i", "c", "f", "o")
INIT_ORDER = ("i", "f", "c", "o")
_GATE_SUFFIXES = tuple("_" + g for g in GATES)


def _trainable_copy(state):
    """A state kept by ``predict`` (inference mode) that a training step starts from: torch
    refuses inference tensors in a computation autograd records, a clone outside inference
    mode is an ordinary tensor."""
    if state.is_inference() and not torch.is_inference_mode_enabled():
        return state.clone()
    return state


class ConvLSTM2D(ConvRecurrent2D):
    """Convolutional LSTM: the four gates are convolutions of the input and of the state.

    # Arguments
        nb_filter: number of convolution filters (channels of the state and the output).
        nb_row, nb_col: kernel rows and columns.
        init: initializer of the input kernels ``W_*`` (default glorot_uniform).
        inner_init: initializer of the recurrent kernels ``U_*`` (default orthogonal).
        forget_bias_init: initializer of ``b_f`` (default ``'one'``).
        activation: cell/output activation (default tanh).
        inner_activation: gate activation (default hard_sigmoid = ``clip(0.2x + 0.5, 0, 1)``).
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'`` (the configured ordering).
        border_mode: ``'valid'`` or ``'same'`` for the input convolution (the recurrent
            convolution is always ``'same'``).
        subsample: strides of the input convolution.
        W_regularizer, U_regularizer, b_regularizer: regularizers (see Differences).
        dropout_W, dropout_U: fraction of the input / state channels-and-pixels dropped, one
            mask per gate and per sequence, training phase only.
        weights: ``[W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o]``.
        return_sequences: return every step's output instead of the last one.
        go_backwards: process the sequence last to first (sequence outputs stay in
            processing order, i.e. reversed in time, as in Keras 1).
        stateful: keep the last states of each batch as the initial states of the next
            (needs a fixed batch size: ``batch_input_shape``); ``reset_states()`` zeroes them.

    # Input shape
        5D: ``th`` ``(samples, time, channels, rows, cols)``; ``tf`` ``(samples, time, rows,
        cols, channels)``.

    # Output shape
        ``return_sequences``: ``(samples, time, nb_filter, new_rows, new_cols)`` (``th``) or
        ``(samples, time, new_rows, new_cols, nb_filter)`` (``tf``); otherwise the same without
        the time axis. ``new_rows``/``new_cols`` follow ``conv_output_length``.

    # Torch mapping
        Twelve parameters in torch conv layout ``(out, in, r, c)``: ``W_i``... ``(nb_filter,
        channels, nb_row, nb_col)`` (= the Keras-1 ``th`` kernel; the ``tf`` kernel
        ``(r, c, channels, nb_filter)`` is a permutation), ``U_*`` ``(nb_filter, nb_filter,
        r, c)``, ``b_*`` ``(nb_filter,)``. The input convolution of all gates and all time
        steps is one ``F.conv2d`` call; the step loop does one recurrent ``F.conv2d`` for all
        four gates. The emulated backend decides the numerics as for ``Convolution2D``
        (Theano: flipped kernels and Theano ``'same'`` alignment). Kernels are initialised
        with ``'th'`` fans whatever the ordering (a Keras-1 quirk, kept); the values are
        drawn in Keras 1's order (gates i, f, c, o).

    # Masking
        Supports masking: at a masked step the states are carried over and the previous
        output repeated; with ``return_sequences`` the mask is passed on.

    # Differences from Keras 1
        ``W_regularizer``/``U_regularizer``/``b_regularizer`` are applied to the ``W_*``,
        ``U_*``, ``b_*`` kernels (Keras 1.2.2 accepted them but its old-API code never added
        the penalties). Keras-2 keywords are accepted (``filters``, ``kernel_size``,
        ``padding``, ``strides``, ``data_format``, ``recurrent_activation``, ``dropout``,
        ``recurrent_dropout``, ...).
    """

    input_spec_pins_shape = True

    aliases = (
        Rename("filters", "nb_filter", example=4),
        Custom("kernel_size", base_conv.kernel_size_2d,
               "kernel_size=(r, c) (or an int) sets nb_row, nb_col", example=(3, 3)),
        Rename("padding", "border_mode", example="same"),
        Rename("strides", "subsample", example=(1, 1)),
        Rename("recurrent_activation", "inner_activation", example="sigmoid"),
    ) + tuple(rule for rule in RECURRENT_ALIASES if rule.old != "units") + groups.DATA_FORMAT
    supports_masking = True
    input_ndim = 5

    def __init__(self, nb_filter, nb_row, nb_col, init="glorot_uniform", inner_init="orthogonal",
                 forget_bias_init="one", activation="tanh", inner_activation="hard_sigmoid",
                 dim_ordering="default", border_mode="valid", subsample=(1, 1),
                 W_regularizer=None, U_regularizer=None, b_regularizer=None, dropout_W=0.0,
                 dropout_U=0.0, weights=None, return_sequences=False, go_backwards=False,
                 stateful=False, **kwargs):
        super().__init__(**kwargs)
        owner = "ConvLSTM2D"
        self._store_arguments(nb_filter, (nb_row, nb_col), init, activation, border_mode,
                              weights, subsample=subsample, dim_ordering=dim_ordering,
                              border_modes=("valid", "same"))
        self.inner_init = initializations.get(inner_init)
        self.forget_bias_init = initializations.get(forget_bias_init)
        self.inner_activation = activations.get(inner_activation)
        self.W_regularizer = regularizers.get(W_regularizer)
        self.U_regularizer = regularizers.get(U_regularizer)
        self.b_regularizer = regularizers.get(b_regularizer)
        self.dropout_W = _check_rate(owner, "dropout_W", dropout_W)
        self.dropout_U = _check_rate(owner, "dropout_U", dropout_U)
        self.uses_learning_phase = bool(self.dropout_W or self.dropout_U)
        self.return_sequences = bool(return_sequences)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self._states = None

    def compute_mask(self, x, mask=None):
        return mask if self.return_sequences else None

    def output_has_mask(self, input_has_mask):
        return bool(input_has_mask and self.return_sequences)

    # -- weights --------------------------------------------------------------------------
    def _check_geometry(self, input_shape):
        if self.stateful and input_shape[0] is None:
            raise ValueError("Layer %s: a stateful recurrent layer needs to know its batch size; "
                             "pass a full `batch_input_shape` (with the batch size) to the first "
                             "layer of the model" % self.name)
        super()._check_geometry(input_shape)

    def _allocate(self, channels):
        nf, kr, kc = self.nb_filter, self.nb_row, self.nb_col
        for gate in GATES:
            setattr(self, "W_" + gate, torch.nn.Parameter(torch.empty(nf, channels, kr, kc)))
            setattr(self, "U_" + gate, torch.nn.Parameter(torch.empty(nf, nf, kr, kc)))
            setattr(self, "b_" + gate, torch.nn.Parameter(torch.empty(nf)))

    def reset_parameters(self):
        w_shape = self.kernel_shape()
        nf = self.nb_filter
        u_shape = (nf, nf) + self.conv_kernel_size() if self.dim_ordering == "th" else \
            self.conv_kernel_size() + (nf, nf)
        from_keras = self.weight_specs()[0].from_keras
        with torch.no_grad():
            for gate in INIT_ORDER:
                # Keras 1 called the initializers without dim_ordering: 'th' fans always.
                getattr(self, "W_" + gate).copy_(from_keras(torch.as_tensor(self.init(w_shape))))
                getattr(self, "U_" + gate).copy_(
                    from_keras(torch.as_tensor(self.inner_init(u_shape))))
                bias_init = self.forget_bias_init if gate == "f" else initializations.zero
                getattr(self, "b_" + gate).copy_(bias_init((nf,)))

    def weight_specs_for(self, backend=None, dim_ordering=None):
        layout = self.kernel_layout(dim_ordering or self.dim_ordering)
        backend = backend or self.emulated_backend()
        specs = []
        for gate in GATES:
            specs.append(base_conv.kernel_spec("W_" + gate, "W_" + gate, layout, backend))
            specs.append(base_conv.kernel_spec("U_" + gate, "U_" + gate, layout, backend))
            specs.append(WeightSpec("b_" + gate, "b_" + gate))
        return specs

    def __getattr__(self, name):
        # ``W_i_regularizer`` etc.: the per-kernel view generic code looks up by suffix.
        if name.endswith("_regularizer") and name[:1] in "WUb" and name[1:3] in _GATE_SUFFIXES:
            return getattr(self, name[0] + "_regularizer")
        return super().__getattr__(name)

    def regularization_losses(self):
        losses = []
        for spec in self.weight_specs():
            regularizer = getattr(self, spec.suffix[0] + "_regularizer")
            if regularizer is not None:
                losses.append(regularizer(spec.to_keras(getattr(self, spec.attr))))
        return losses

    # -- states ---------------------------------------------------------------------------
    def reset_states(self):
        if not self.stateful:
            raise AttributeError("Layer %s is not stateful" % self.name)
        self._states = None

    def _initial_states(self, batch, rows, cols, like):
        if self.stateful:
            expected = self._input_shapes[0][0] if self._input_shapes else None
            if expected is not None and batch != expected:
                raise ValueError("Layer %s is stateful with batch size %d but got a batch of %d "
                                 "samples" % (self.name, expected, batch))
            if self._states is not None:
                return tuple(_trainable_copy(s.to(like.device)) for s in self._states)
        zeros = like.new_zeros((batch, self.nb_filter, rows, cols))
        return zeros, zeros

    # -- running --------------------------------------------------------------------------
    def _dropout_masks(self, rate, shape, like):
        return [inverted_dropout_noise(shape, 1.0 - rate, like) for _ in GATES]

    def call(self, x, mask=None):
        backend = self.emulated_backend()
        if self.dim_ordering == "tf":
            x = x.permute(0, 1, 4, 2, 3)
        batch, steps = x.shape[0], x.shape[1]
        W = torch.cat([getattr(self, "W_" + g) for g in GATES], 0)
        U = torch.cat([getattr(self, "U_" + g) for g in GATES], 0)
        b = torch.cat([getattr(self, "b_" + g) for g in GATES], 0)
        flat = x.reshape((batch * steps,) + tuple(x.shape[2:]))
        drop_W = self.training and 0 < self.dropout_W < 1
        drop_U = self.training and 0 < self.dropout_U < 1
        if drop_W:
            masks = self._dropout_masks(self.dropout_W, (batch,) + tuple(x.shape[2:]), x)
            parts = []
            for k, gate in enumerate(GATES):
                xk = (x * masks[k].unsqueeze(1)).reshape(flat.shape)
                parts.append(conv_channels_first(xk, getattr(self, "W_" + gate),
                                               getattr(self, "b_" + gate), self.subsample,
                                               self.border_mode, backend))
            x_proj = torch.cat(parts, 1)
        else:
            x_proj = conv_channels_first(flat, W, b, self.subsample, self.border_mode, backend)
        x_proj = x_proj.reshape((batch, steps) + tuple(x_proj.shape[1:]))
        rows, cols = x_proj.shape[-2], x_proj.shape[-1]
        h, c = self._initial_states(batch, rows, cols, x_proj)
        u_masks = self._dropout_masks(self.dropout_U, (batch, self.nb_filter, rows, cols), x) \
            if drop_U else None
        nf = self.nb_filter
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs = []
        output = torch.zeros_like(h)
        for t in order:
            if u_masks is None:
                rec = conv_channels_first(h, U, None, (1, 1), "same", backend)
            else:
                rec = torch.cat([conv_channels_first(h * u_masks[k], getattr(self, "U_" + g), None,
                                                   (1, 1), "same", backend)
                                 for k, g in enumerate(GATES)], 1)
            z = x_proj[:, t] + rec
            i = self.inner_activation(z[:, :nf])
            f = self.inner_activation(z[:, 2 * nf:3 * nf])
            o = self.inner_activation(z[:, 3 * nf:])
            c_new = f * c + i * self.activation(z[:, nf:2 * nf])
            h_new = o * self.activation(c_new)
            if mask is not None:
                keep = mask[:, t].to(torch.bool).reshape(batch, 1, 1, 1)
                c = torch.where(keep, c_new, c)
                h = torch.where(keep, h_new, h)
                output = torch.where(keep, h_new, output)
            else:
                c, h, output = c_new, h_new, h_new
            if self.return_sequences:
                outputs.append(output)
        if self.stateful:
            self._states = (h.detach(), c.detach())
        y = torch.stack(outputs, 1) if self.return_sequences else output
        if self.dim_ordering == "tf":
            y = y.permute(0, 1, 3, 4, 2) if self.return_sequences else y.permute(0, 2, 3, 1)
        return y

    def extra_repr(self):
        return "name=%r, nb_filter=%d, kernel=(%d, %d), border_mode=%r, dim_ordering=%r" % (
            self.name, self.nb_filter, self.nb_row, self.nb_col, self.border_mode,
            self.dim_ordering)

    def port_spec(self):
        """What ``keras_compat.port`` reads besides the config: ``states``, the ``(h, c)`` a
        stateful layer carries into its next batch, or None (zeros) before its first batch
        and after ``reset_states()``."""
        return {"states": self._states}


def _check_rate(owner, arg, value):
    value = float(value)
    if not 0.0 <= value < 1.0:
        raise ValueError("%s: %s must be in [0, 1), got %r" % (owner, arg, value))
    return value
