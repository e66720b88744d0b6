"""``Bidirectional``: run a recurrent layer forwards and backwards and merge the results."""
import copy

import torch

from keras_compat._args import values
from keras_compat.layers.wrappers.wrapper import Wrapper

MERGE_MODES = ("sum", "mul", "ave", "concat", None)


class Bidirectional(Wrapper):
    """Bidirectional wrapper for recurrent layers.

    # Arguments
        layer: a recurrent layer instance (``SimpleRNN``, ``GRU``, ``LSTM``, ``ConvLSTM2D`` or
            any layer with ``go_backwards`` and ``return_sequences``).
        merge_mode: how the forward and backward outputs are combined: ``'concat'`` (default,
            on the last axis), ``'sum'``, ``'mul'``, ``'ave'`` or ``None`` (a list of the two
            outputs; usable as a model output, not in the middle of a ``Sequential``).
        weights: initial weights, the forward layer's list followed by the backward layer's
            (split in half).

    # Input shape
        That of the wrapped layer, e.g. ``(samples, timesteps, input_dim)``.

    # Output shape
        The wrapped layer's output shape, with the last axis doubled for ``'concat'``.

    # Torch mapping
        Two child modules: ``forward_layer`` (a copy of ``layer`` named ``forward_<name>``)
        and ``backward_layer`` (rebuilt from ``layer.get_config()`` with ``go_backwards``
        flipped, named ``backward_<name>``); the renaming happens before building, so the
        weights are ``forward_lstm_1_W_i``, ..., ``backward_lstm_1_W_i``, ...  With
        ``return_sequences`` the backward output (in processing order) is flipped back along
        time before merging. ``get_weights()`` = forward weights + backward weights.

    # Masking
        Supports masking: the mask goes to both layers and, with ``return_sequences``, on to
        the output (``[mask, mask]`` for ``merge_mode=None``).

    # Differences from Keras 1
        The forward layer is a deep copy of ``layer`` (Keras 1 made a shallow copy, which
        shared weights with ``layer`` when it was already built). A non-recurrent ``layer`` is
        refused with a message naming it (Keras 1 raised ``KeyError: 'go_backwards'``).
    """

    supports_masking = True

    def __init__(self, layer, merge_mode="concat", weights=None, **kwargs):
        super().__init__(layer, **kwargs)
        if not (hasattr(layer, "go_backwards") and hasattr(layer, "return_sequences")):
            raise ValueError("Bidirectional: the wrapped layer %s (%s) is not a recurrent layer: "
                             "it has no `go_backwards`/`return_sequences` (wrap SimpleRNN, GRU, "
                             "LSTM or ConvLSTM2D)" % (layer.name, type(layer).__name__))
        self.merge_mode = values.check_choice("Bidirectional", "merge_mode", merge_mode,
                                              MERGE_MODES)
        object.__setattr__(self, "layer", layer)  # the original: config only, not a child
        forward = copy.deepcopy(layer)
        forward.name = "forward_" + layer.name
        backward_config = dict(layer.get_config())
        backward_config["go_backwards"] = not layer.go_backwards
        backward = type(layer).from_config(backward_config)
        backward.name = "backward_" + layer.name
        if weights:
            weights = list(weights)
            half = len(weights) // 2
            forward.initial_weights = weights[:half]
            backward.initial_weights = weights[half:]
        self.forward_layer = forward
        self.backward_layer = backward
        self.return_sequences = bool(layer.return_sequences)
        self.stateful = bool(getattr(layer, "stateful", False))

    def inner_layers(self):
        return [self.forward_layer, self.backward_layer]

    def build(self, input_shape):
        self.forward_layer.build_for(input_shape)
        self.backward_layer.build_for(input_shape)

    def get_output_shape_for(self, input_shape):
        shape = tuple(self.forward_layer.get_output_shape_for(input_shape))
        if self.merge_mode == "concat":
            last = None if shape[-1] is None else shape[-1] * 2
            return shape[:-1] + (last,)
        if self.merge_mode is None:
            return [shape, shape]
        return shape

    def call(self, x, mask=None):
        y = self.forward_layer(x, mask)
        y_rev = self.backward_layer(x, mask)
        if self.return_sequences:
            y_rev = torch.flip(y_rev, (1,))
        if self.merge_mode == "concat":
            return torch.cat([y, y_rev], dim=-1)
        if self.merge_mode == "sum":
            return y + y_rev
        if self.merge_mode == "ave":
            return (y + y_rev) / 2
        if self.merge_mode == "mul":
            return y * y_rev
        return [y, y_rev]

    def compute_mask(self, x, mask=None):
        if not self.return_sequences:
            return None
        return [mask, mask] if self.merge_mode is None else mask

    def output_has_mask(self, input_has_mask):
        return bool(input_has_mask and self.return_sequences)

    def extra_repr(self):
        return "name=%r, merge_mode=%r" % (self.name, self.merge_mode)
