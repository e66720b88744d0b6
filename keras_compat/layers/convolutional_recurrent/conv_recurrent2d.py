"""``ConvRecurrent2D``: Keras 1's abstract base of the convolutional recurrent layers."""
from keras_compat._args import values
from keras_compat.engine.layer import Layer


class ConvRecurrent2D(Layer):
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

    def get_output_shape_for(self, input_shape):
        owner = type(self).__name__
        if self.dim_ordering == "th":
            rows, cols = input_shape[3], input_shape[4]
        else:
            rows, cols = input_shape[2], input_shape[3]
        border_mode = getattr(self, "border_mode", "valid")
        subsample = getattr(self, "subsample", (1, 1))
        rows = values.conv_output_length(rows, self.nb_row, border_mode, subsample[0])
        cols = values.conv_output_length(cols, self.nb_col, border_mode, subsample[1])
        if self.dim_ordering == "th":
            spatial = (self.nb_filter, rows, cols)
        elif self.dim_ordering == "tf":
            spatial = (rows, cols, self.nb_filter)
        else:
            raise ValueError("%s: invalid dim_ordering %r" % (owner, self.dim_ordering))
        if self.return_sequences:
            return (input_shape[0], input_shape[1]) + spatial
        return (input_shape[0],) + spatial

    def call(self, x, mask=None):
        raise NotImplementedError(
            "%s is abstract (as Keras 1's ConvRecurrent2D): a subclass implements the "
            "recurrence; use ConvLSTM2D" % type(self).__name__)
