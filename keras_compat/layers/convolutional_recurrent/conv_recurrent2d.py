"""``ConvRecurrent2D``: Keras 1's abstract base of the convolutional recurrent layers."""
from keras_compat._args import values
from keras_compat.layers.convolutional.base_conv import ConvolutionBase


class ConvRecurrent2D(ConvolutionBase):
    """Abstract base of convolutional recurrent layers (``ConvLSTM2D`` is the one Keras 1.2.2
    shipped); a subclass implements the recurrence (``build``, ``call``).

    # Arguments
        weights: initial weights (Keras-1 layout of the subclass).
        nb_row, nb_col: kernel size; nb_filter: number of filters.
        return_sequences: return every step's output instead of the last one.
        go_backwards: process the sequence last to first.
        stateful: keep each batch's last states as the next batch's initial states.
        dim_ordering: ``'th'`` or ``'tf'``; ``None`` or ``'default'`` reads keras.json.

    # Input shape
        5D: ``(samples, time, channels, rows, cols)`` (``th``) or
        ``(samples, time, rows, cols, channels)`` (``tf``).

    # Output shape
        What Keras 1 gave: with ``return_sequences`` the time axis is kept; the spatial axes
        follow the subclass's ``border_mode`` and ``subsample`` (``'valid'``, stride 1 here).
    """

    rank = 2
    kernel_args = ("nb_row", "nb_col")
    # what a subclass without its own border_mode/subsample convolves with
    border_mode = "valid"
    subsample = (1, 1)

    def __init__(self, weights=None, nb_row=None, nb_col=None, nb_filter=None,
                 return_sequences=False, go_backwards=False, stateful=False,
                 dim_ordering=None, **kwargs):
        super().__init__(**kwargs)
        self.return_sequences = bool(return_sequences)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.initial_weights = weights
        self.nb_row = nb_row
        self.nb_col = nb_col
        self.nb_filter = nb_filter
        self.dim_ordering = values.normalize_dim_ordering(type(self).__name__, dim_ordering)

    def _split(self, input_shape):
        # (samples, time, *image): the image of one step
        return super()._split((input_shape[0],) + tuple(input_shape[2:]))

    def get_output_shape_for(self, input_shape):
        _, spatial = self._split(input_shape)
        image = self._with_channels(None, self._output_spatial(spatial, input_shape),
                                    self.nb_filter)[1:]
        if self.return_sequences:
            return (input_shape[0], input_shape[1]) + image
        return (input_shape[0],) + image

    def call(self, x, mask=None):
        raise NotImplementedError(
            "%s is abstract (as Keras 1's ConvRecurrent2D): a subclass implements the "
            "recurrence; use ConvLSTM2D" % type(self).__name__)
