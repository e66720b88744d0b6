"""``LSTM``: Long Short-Term Memory (Hochreiter & Schmidhuber 1997), Keras-1 numerics."""
import torch

from keras_compat import activations, initializations
from keras_compat._args.rules import Rename
from keras_compat.layers.recurrent import fused_recurrence, kernels
from keras_compat.layers.recurrent.base_recurrent import (RECURRENT_ALIASES, Recurrent,
                                                          fast_loop_enabled as _fast_loop_enabled)


class LSTM(Recurrent):
    """Long Short-Term Memory unit:

        i = inner_activation(x.W_i + b_i + h.U_i)      f = inner_activation(x.W_f + b_f + h.U_f)
        c = f * c + i * activation(x.W_c + b_c + h.U_c)
        o = inner_activation(x.W_o + b_o + h.U_o)      h = o * activation(c)

    # Arguments
        output_dim: dimension of the internal projections and the final output.
        init: initializer of the input matrices (and, in cpu/mem mode, of the recurrent
            matrices too: a Keras-1 quirk kept on purpose).
        inner_init: initializer of the recurrent matrix in gpu mode.
        forget_bias_init: initializer of the forget-gate bias (``'one'``: Jozefowicz et al.).
        activation: activation of the cell input and output (default ``'tanh'``).
        inner_activation: gate activation (default ``'hard_sigmoid'`` = clip(0.2x+0.5, 0, 1)).
        W_regularizer, U_regularizer, b_regularizer: regularizers (cpu/mem mode regularise
            the recurrent matrices with ``W_regularizer``, as Keras 1 did).
        dropout_W: fraction of the input units dropped (per sequence), training only.
        dropout_U: fraction of the recurrent units dropped (per sequence), training only.
        Plus every ``Recurrent`` argument (return_sequences, go_backwards, stateful, unroll,
        consume_less, input_dim, input_length, weights); input shape, output shape and
        masking as ``Recurrent`` documents them.

    # Torch mapping
        Packed ``weight_ih`` ``(4n, input_dim)``, ``weight_hh`` ``(4n, n)``, ``bias`` ``(4n,)``
        with blocks i, f, c, o: torch ``nn.LSTM``'s layout (``bias_hh`` = 0), which is also
        Keras-1's gpu layout transposed.  cpu/mem ``get_weights()``: ``W_i, U_i, b_i, W_c,
        U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o`` (i, **c, f**, o).  With
        ``inner_activation='sigmoid'`` and ``activation='tanh'``, no mask and no active
        dropout, forward is torch's fused LSTM (cuDNN on CUDA).  Otherwise the input
        projections for all steps are one matmul, and the recurrence is either
        ``fused_recurrence.LSTMRecurrence`` (gates ``hard_sigmoid`` or ``sigmoid``, cell
        ``tanh``, any dropout, masked or not: one autograd node with a hand-written
        backward) or the autograd step loop (other activations).

    # Differences from Keras 1
        Dropout masks come from torch's generator.
    """

    GATES = ("i", "f", "c", "o")
    state_names = ("h", "c")
    per_gate_U_regularized_with_W = True
    aliases = RECURRENT_ALIASES + (
        Rename("recurrent_activation", "inner_activation", example="sigmoid"),)

    def __init__(self, output_dim, init="glorot_uniform", inner_init="orthogonal",
                 forget_bias_init="one", activation="tanh", inner_activation="hard_sigmoid",
                 W_regularizer=None, U_regularizer=None, b_regularizer=None, dropout_W=0.,
                 dropout_U=0., **kwargs):
        super().__init__(**kwargs)
        self._set_cell_arguments(output_dim, init, inner_init, activation, W_regularizer,
                                 U_regularizer, b_regularizer, dropout_W, dropout_U)
        self.forget_bias_init = initializations.get(forget_bias_init)
        self.inner_activation = activations.get(inner_activation)

    def keras_gate_order(self):
        return ("i", "c", "f", "o")

    def reset_parameters(self):
        """Keras-1 initialisation, drawn in Keras 1's order (matters for seeded parity)."""
        n, d = self.output_dim, self.input_dim
        with torch.no_grad():
            if self.consume_less == "gpu":
                self.weight_ih.copy_(self.init((d, 4 * n)).t())
                self.weight_hh.copy_(self.inner_init((n, 4 * n)).t())
                self.bias.zero_()
                self.bias[self.gate_slice("f")] = self.forget_bias_init((n,))
                return
            for gate in self.GATES:  # Keras 1 built i, f, c, o (then listed i, c, f, o)
                rows = self.gate_slice(gate)
                self.weight_ih[rows] = self.init((d, n)).t()
                self.weight_hh[rows] = self.init((n, n)).t()
                self.bias[rows] = (self.forget_bias_init((n,)) if gate == "f"
                                   else initializations.zero((n,)))

    def run(self, x, mask, states, mask_W, mask_U):
        h, c = states
        fusable = (self.inner_activation is activations.sigmoid
                   and self.activation is activations.tanh)
        if fusable and self._use_fused(mask, mask_U, mask_W):
            return kernels.fused_lstm(x, h, c, self.weight_ih, self.weight_hh, self.bias,
                                      self.return_sequences)
        n = self.output_dim
        # Loop order i, f, o, c: the three gates are one contiguous block.
        order = torch.cat([torch.arange(0, 2 * n), torch.arange(3 * n, 4 * n),
                           torch.arange(2 * n, 3 * n)]).to(self.bias.device)
        w_ih, w_hh, bias = (self.weight_ih.index_select(0, order),
                            self.weight_hh.index_select(0, order), self.bias.index_select(0, order))
        folded = kernels.is_hard_sigmoid(self.inner_activation)
        if folded:
            w_ih, w_hh, bias = kernels.fold_hard_sigmoid(w_ih, w_hh, bias, slice(0, 3 * n))
        if mask_W is not None:
            mask_W = mask_W[[0, 1, 3, 2]]
        xp = self._project_inputs(x, w_ih, bias, mask_W)
        w_hh_t = w_hh.t()
        kind = kernels.fused_gate_kind(self.inner_activation, self.activation)
        time_mask = None if mask is None else mask.transpose(0, 1).unsqueeze(-1)
        if kind is not None and _fast_loop_enabled():
            return fused_recurrence.lstm(xp, h, c, w_hh_t, mask_U, kind, self.return_sequences,
                                         time_mask)
        return kernels.lstm_loop(xp, h, c, w_hh_t, kernels.gate_activation(
            self.inner_activation, folded), self.activation, time_mask, mask_U,
            self.return_sequences)
