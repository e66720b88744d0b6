"""``SpatialDropout1D/2D/3D``: dropout of whole feature maps, in the training phase only."""
import numbers

from keras_compat._args import groups, values
from keras_compat.backend.ops import inverted_dropout_noise
from keras_compat.layers.core.dropout import Dropout


def _check_p(owner, p):
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p < 1.0:
        raise ValueError("%s: p must be a number in [0, 1), got %r" % (owner, p))
    return p


class _SpatialDropout(Dropout):
    """Shared body: one keep/drop draw per (sample, channel), broadcast over the other axes."""

    input_spec_ndim = "any"

    def _noise_shape(self, x):
        raise NotImplementedError

    def call(self, x, mask=None):
        if self.training and 0 < self.p < 1:
            return x * inverted_dropout_noise(self._noise_shape(x), 1.0 - self.p, x)
        return x


class SpatialDropout1D(_SpatialDropout):
    """Spatial 1D dropout: drops entire 1D feature maps (channels) instead of single elements.

    # Arguments
        p: float in [0, 1), fraction of the channels to drop (Keras-2 ``rate``).

    # Input shape / Output shape
        3D ``(samples, timesteps, channels)``; same shape out. Supports masking.

    # Torch mapping
        ``x * bernoulli(1 - p, shape (samples, 1, channels)) / (1 - p)`` in ``train()``
        mode; the identity in ``eval()`` mode.

    # Differences from Keras 1
        The random mask comes from torch's generator (same distribution, different draws).
    """

    input_ndim = 3

    def __init__(self, p, **kwargs):
        super().__init__(_check_p("SpatialDropout1D", p), **kwargs)

    def _noise_shape(self, x):
        return (x.shape[0], 1, x.shape[2])


class _ImageSpatialDropout(_SpatialDropout):
    """Shared body of the 2D and 3D variants (channels at axis 1 or last)."""

    aliases = groups.DATA_FORMAT

    def __init__(self, p, dim_ordering="default", **kwargs):
        owner = type(self).__name__
        super().__init__(_check_p(owner, p), **kwargs)
        self.dim_ordering = values.normalize_dim_ordering(owner, dim_ordering)

    def _noise_shape(self, x):
        spatial = (1,) * (x.dim() - 2)
        if self.dim_ordering == "th":
            return (x.shape[0], x.shape[1]) + spatial
        return (x.shape[0],) + spatial + (x.shape[-1],)


class SpatialDropout2D(_ImageSpatialDropout):
    """Spatial 2D dropout: drops entire 2D feature maps instead of single elements.

    # Arguments
        p: float in [0, 1), fraction of the feature maps to drop (Keras-2 ``rate``).
        dim_ordering: ``'th'`` (channels at axis 1), ``'tf'`` (channels last) or
            ``'default'`` (``image_dim_ordering()`` at construction). Keras-2
            ``data_format`` is accepted.

    # Input shape / Output shape
        4D ``(samples, channels, rows, cols)`` (th) or ``(samples, rows, cols, channels)``
        (tf); same shape out. Supports masking.

    # Torch mapping
        Noise of shape ``(samples, channels, 1, 1)`` / ``(samples, 1, 1, channels)``,
        inverted-dropout scaled, in ``train()`` mode; the identity in ``eval()`` mode.

    # Differences from Keras 1
        ``get_config()`` also stores the resolved ``dim_ordering`` (Keras 1 stored only
        ``p``, so a reload under another ``image_dim_ordering`` changed the layer).
    """

    input_ndim = 4

    def __init__(self, p, dim_ordering="default", **kwargs):
        super().__init__(p, dim_ordering, **kwargs)


class SpatialDropout3D(_ImageSpatialDropout):
    """Spatial 3D dropout: drops entire 3D feature maps instead of single elements.

    # Arguments
        p: float in [0, 1), fraction of the feature maps to drop (Keras-2 ``rate``).
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``, as ``SpatialDropout2D``.

    # Input shape / Output shape
        5D ``(samples, channels, d1, d2, d3)`` (th) or ``(samples, d1, d2, d3, channels)``
        (tf); same shape out. Supports masking.

    # Torch mapping
        Noise of shape ``(samples, channels, 1, 1, 1)`` / ``(samples, 1, 1, 1, channels)``.

    # Differences from Keras 1
        As ``SpatialDropout2D``.
    """

    input_ndim = 5

    def __init__(self, p, dim_ordering="default", **kwargs):
        super().__init__(p, dim_ordering, **kwargs)
