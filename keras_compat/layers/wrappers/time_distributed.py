"""``TimeDistributed``: apply a layer to every temporal slice of an input."""
from keras_compat.layers.wrappers.wrapper import Wrapper


class TimeDistributed(Wrapper):
    """Applies ``layer`` to every temporal slice ``x[:, t]`` of an input.

    # Arguments
        layer: a ``Layer`` instance (``Dense``, ``Convolution2D``, ``Dropout``, a recurrent
            layer, ...).
        weights: optional list of arrays for the inner layer (an extension, see below).

    # Input shape
        At least 3D: ``(samples, timesteps, ...)``; the inner layer sees ``(samples, ...)``.

    # Output shape
        ``(samples, timesteps) + inner_output_shape[1:]``.

    # Torch mapping
        Time is folded into the batch: ``x.reshape(samples * timesteps, ...)`` goes through
        the inner layer once and the result is unfolded again (Keras 1 did the same when the
        batch size was unknown; numerically identical to a loop over time). The inner layer
        is the child module ``layer`` and keeps its own name, so its weights are named
        ``dense_2_W`` etc. while the wrapper is ``timedistributed_1``.

    # Masking
        Supports masking: the input mask is passed on unchanged (the inner layer does not
        see it, as in Keras 1).

    # Differences from Keras 1
        ``weights=`` is accepted (Keras 1 rejected it) and goes to the inner layer.
    """

    input_spec_pins_shape = True

    supports_masking = True
    min_input_ndim = 3

    def __init__(self, layer, weights=None, **kwargs):
        super().__init__(layer, **kwargs)
        self.layer = layer
        if weights is not None:
            layer.initial_weights = list(weights)

    @staticmethod
    def _child_shape(input_shape):
        return (input_shape[0],) + tuple(input_shape[2:])

    def check_input_shape(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError("Layer %s (TimeDistributed around %s): the input must be at least 3D "
                             "(samples, timesteps, ...), got input shape %s"
                             % (self.name, self.layer.name, tuple(input_shape)))

    def build(self, input_shape):
        self.layer.build_for(self._child_shape(input_shape))

    def get_output_shape_for(self, input_shape):
        child_shape = self._child_shape(input_shape)
        if isinstance(getattr(type(self.layer), "layers", None), property):
            # A wrapped model: its output shape comes from its own graph (a model's build_for
            # only checks the input shape and answers the output shape).
            child = self.layer.build_for(child_shape)
        else:
            child = self.layer.get_output_shape_for(child_shape)
        return (child[0], input_shape[1]) + tuple(child[1:])

    def call(self, x, mask=None):
        batch, steps = x.shape[0], x.shape[1]
        y = self.layer(x.reshape((batch * steps,) + tuple(x.shape[2:])))
        return y.reshape((batch, steps) + tuple(y.shape[1:]))

    def extra_repr(self):
        return "name=%r" % self.name
