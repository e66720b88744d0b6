"""``SimpleRNN``: fully connected RNN whose output is fed back as input, Keras-1 numerics."""
import torch

from keras_compat import activations
from keras_compat.layers.recurrent import kernels
from keras_compat.layers.recurrent.base_recurrent import RECURRENT_ALIASES, Recurrent


class SimpleRNN(Recurrent):
    """Fully-connected RNN: ``h = activation(x.W + b + h.U)``.

    # Arguments
        output_dim: dimension of the internal projections and the final output.
        init: initializer of ``W`` (default ``'glorot_uniform'``).
        inner_init: initializer of ``U`` (default ``'orthogonal'``, all modes).
        activation: default ``'tanh'``.
        W_regularizer, U_regularizer, b_regularizer: regularizers.
        dropout_W: fraction of the input units dropped (per sequence), training only.  As
            in Keras 1.2.2 it only acts with ``consume_less='cpu'`` (mem/gpu ignore it).
        dropout_U: fraction of the recurrent units dropped (per sequence), training only.
        Plus every ``Recurrent`` argument (return_sequences, go_backwards, stateful, unroll,
        consume_less, input_dim, input_length, weights); input shape, output shape and
        masking as ``Recurrent`` documents them.

    # Torch mapping
        ``weight_ih`` ``(n, input_dim)`` = ``W.T``, ``weight_hh`` ``(n, n)`` = ``U.T``, ``bias``
        ``(n,)`` = ``b`` in every mode.  With ``tanh``/``relu``, no mask and no active
        dropout, forward is torch's fused RNN (``bias_hh`` = 0); otherwise a step loop.

    # Differences from Keras 1
        Dropout masks come from torch's generator.
    """

    GATES = ("h",)
    state_names = ("h",)
    aliases = RECURRENT_ALIASES

    def __init__(self, output_dim, init="glorot_uniform", inner_init="orthogonal",
                 activation="tanh", W_regularizer=None, U_regularizer=None, b_regularizer=None,
                 dropout_W=0., dropout_U=0., **kwargs):
        super().__init__(**kwargs)
        self._set_cell_arguments(output_dim, init, inner_init, activation, W_regularizer,
                                 U_regularizer, b_regularizer, dropout_W, dropout_U)

    def _uses_dropout_W(self):
        return self.consume_less == "cpu"  # the Keras 1.2.2 behaviour

    def reset_parameters(self):
        with torch.no_grad():
            self.weight_ih.copy_(self.init((self.input_dim, self.output_dim)).t())
            self.weight_hh.copy_(self.inner_init((self.output_dim, self.output_dim)).t())
            self.bias.zero_()

    def run(self, x, mask, states, mask_W, mask_U):
        nonlinearity = {activations.tanh: "tanh", activations.relu: "relu"}.get(self.activation)
        if nonlinearity and self._use_fused(mask, mask_U, mask_W):
            return kernels.fused_rnn(x, states[0], self.weight_ih, self.weight_hh, self.bias,
                                     nonlinearity, self.return_sequences)
        xp = self._project_inputs(x, self.weight_ih, self.bias, mask_W)
        time_mask = None if mask is None else mask.transpose(0, 1).unsqueeze(-1)
        return kernels.simple_loop(xp, states[0], self.weight_hh.t(), self.activation, time_mask,
                                   mask_U, self.return_sequences)
