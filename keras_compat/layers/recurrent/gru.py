"""``GRU``: Gated Recurrent Unit (Cho et al. 2014), Keras-1 numerics."""
import torch

from keras_compat import activations
from keras_compat._args.rules import Rename
from keras_compat.layers.recurrent import fused_recurrence, kernels
from keras_compat.layers.recurrent.base_recurrent import (RECURRENT_ALIASES, Recurrent,
                                                          fast_loop_enabled)


class GRU(Recurrent):
    """Gated Recurrent Unit, in the original Cho et al. form:

        z = inner_activation(x.W_z + b_z + h.U_z)      r = inner_activation(x.W_r + b_r + h.U_r)
        hh = activation(x.W_h + b_h + (r * h).U_h)     h = z * h + (1 - z) * hh

    # Arguments
        output_dim: dimension of the internal projections and the final output.
        init: initializer of the input matrices (and, in cpu/mem mode, of the recurrent
            matrices too: a Keras-1 quirk kept on purpose).
        inner_init: initializer of the recurrent matrix in gpu mode.
        activation: candidate activation (default ``'tanh'``).
        inner_activation: gate activation (default ``'hard_sigmoid'`` = clip(0.2x+0.5, 0, 1)).
        W_regularizer, U_regularizer, b_regularizer: regularizers (cpu/mem mode regularise
            the recurrent matrices with ``W_regularizer``, as Keras 1 did).
        dropout_W, dropout_U: per-sequence dropout of the input / recurrent units, training
            only.
        Plus every ``Recurrent`` argument (return_sequences, go_backwards, stateful, unroll,
        consume_less, input_dim, input_length, weights); input shape, output shape and
        masking as ``Recurrent`` documents them.

    # Torch mapping
        Packed ``weight_ih`` ``(3n, input_dim)``, ``weight_hh`` ``(3n, n)``, ``bias`` ``(3n,)``,
        blocks z, r, h (Keras-1's gpu layout transposed).  ``torch.nn.GRU`` applies the
        reset gate after the recurrent product and has a second bias, so it cannot express
        this GRU: the input projections for all steps are one matmul, then the recurrence
        is ``fused_recurrence.GRURecurrence`` (gates ``hard_sigmoid`` or ``sigmoid``,
        candidate ``tanh``, any dropout, no mask: one autograd node with a hand-written
        backward, two ``addmm`` per step) or the autograd step loop (masked input, other
        activations).

    # Differences from Keras 1
        Dropout masks come from torch's generator.
    """

    GATES = ("z", "r", "h")
    state_names = ("h",)
    per_gate_U_regularized_with_W = True
    aliases = RECURRENT_ALIASES + (
        Rename("recurrent_activation", "inner_activation", example="sigmoid"),)

    def __init__(self, output_dim, init="glorot_uniform", inner_init="orthogonal",
                 activation="tanh", inner_activation="hard_sigmoid", W_regularizer=None,
                 U_regularizer=None, b_regularizer=None, dropout_W=0., dropout_U=0., **kwargs):
        super().__init__(**kwargs)
        self._set_cell_arguments(output_dim, init, inner_init, activation, W_regularizer,
                                 U_regularizer, b_regularizer, dropout_W, dropout_U)
        self.inner_activation = activations.get(inner_activation)

    def reset_parameters(self):
        """Keras-1 initialisation, drawn in Keras 1's order (matters for seeded parity)."""
        n, d = self.output_dim, self.input_dim
        with torch.no_grad():
            self.bias.zero_()
            if self.consume_less == "gpu":
                self.weight_ih.copy_(self.init((d, 3 * n)).t())
                self.weight_hh.copy_(self.inner_init((n, 3 * n)).t())
                return
            for gate in self.GATES:
                rows = self.gate_slice(gate)
                self.weight_ih[rows] = self.init((d, n)).t()
                self.weight_hh[rows] = self.init((n, n)).t()

    def run(self, x, mask, states, mask_W, mask_U):
        n = self.output_dim
        w_ih, w_hh, bias = self.weight_ih, self.weight_hh, self.bias
        folded = kernels.is_hard_sigmoid(self.inner_activation)
        if folded:
            w_ih, w_hh, bias = kernels.fold_hard_sigmoid(w_ih, w_hh, bias, slice(0, 2 * n))
        xp = self._project_inputs(x, w_ih, bias, mask_W)
        kind = kernels.fused_gate_kind(self.inner_activation, self.activation)
        if kind is not None and mask is None and fast_loop_enabled():
            return fused_recurrence.gru(xp, states[0], w_hh.t(), mask_U, kind,
                                        self.return_sequences)
        time_mask = None if mask is None else mask.transpose(0, 1).unsqueeze(-1)
        return kernels.gru_loop(xp, states[0], w_hh.t(), kernels.gate_activation(
            self.inner_activation, folded), self.activation, time_mask, mask_U,
            self.return_sequences)
