"""Global pooling: ``GlobalMaxPooling1D/2D/3D`` and ``GlobalAveragePooling1D/2D/3D``."""
from keras_compat._args import groups, values
from keras_compat.backend.convolution import spatial_axes
from keras_compat.engine.layer import Layer


def _doc(mode, rank):
    """The docstring of the global ``mode`` ('max'/'avg') pooling layer of ``rank``."""
    data = {1: "temporal", 2: "spatial", 3: "3D"}[rank]
    kind, function = ("max", "amax") if mode == "max" else ("average", "mean")
    if rank == 1:
        return ("Global %s pooling operation for temporal data.\n\n"
                "    # Input shape\n        ``(samples, steps, features)``.\n\n"
                "    # Output shape\n        ``(samples, features)``.\n\n"
                "    # Torch mapping\n        ``x.%s(dim=1)``.\n\n"
                "    # Differences from Keras 1\n        None.\n" % (kind, function))
    return ("Global %s pooling operation for %s data.\n\n"
            "    # Arguments\n        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.\n\n"
            "    # Input shape\n        %dD tensor in the layer's ordering.\n\n"
            "    # Output shape\n        ``(samples, channels)``.\n\n"
            "    # Torch mapping\n        ``x.%s`` over the %s spatial axes.\n\n"
            "    # Differences from Keras 1\n        None.\n"
            % (kind, data, rank + 2, function, "two" if rank == 2 else "three"))


class _GlobalPooling(Layer):
    """Base of the global pooling layers: ``mode`` ('max'/'avg') over the ``rank`` spatial
    axes, giving ``(samples, channels)``."""

    rank = None
    mode = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.mode is not None and cls.__dict__.get("__doc__") is None:
            cls.__doc__ = _doc(cls.mode, cls.rank)

    def data_ordering(self):
        return self.dim_ordering

    def _axes(self):
        return spatial_axes(self.data_ordering(), self.rank)

    def get_output_shape_for(self, input_shape):
        channels = 1 if self.data_ordering() == "th" else self.rank + 1
        return (input_shape[0], input_shape[channels])

    def call(self, x, mask=None):
        if self.mode == "max":
            return x.amax(dim=self._axes())
        return x.mean(dim=self._axes())


class _GlobalPooling1D(_GlobalPooling):
    input_ndim = 3
    rank = 1

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def data_ordering(self):
        return "tf"  # (samples, steps, features)


class _GlobalSpatialPooling(_GlobalPooling):
    aliases = groups.DATA_FORMAT

    def __init__(self, dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self.dim_ordering = values.normalize_dim_ordering(type(self).__name__, dim_ordering)


class _GlobalPooling2D(_GlobalSpatialPooling):
    input_ndim = 4
    rank = 2


class _GlobalPooling3D(_GlobalSpatialPooling):
    input_ndim = 5
    rank = 3


# The docstrings come from ``_doc`` (``__init_subclass__``).
class GlobalMaxPooling1D(_GlobalPooling1D):
    mode = "max"


class GlobalAveragePooling1D(_GlobalPooling1D):
    mode = "avg"


class GlobalMaxPooling2D(_GlobalPooling2D):
    mode = "max"


class GlobalAveragePooling2D(_GlobalPooling2D):
    mode = "avg"


class GlobalMaxPooling3D(_GlobalPooling3D):
    mode = "max"


class GlobalAveragePooling3D(_GlobalPooling3D):
    mode = "avg"
