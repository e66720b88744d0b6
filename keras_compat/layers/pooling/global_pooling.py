"""Global pooling: ``GlobalMaxPooling1D/2D/3D`` and ``GlobalAveragePooling1D/2D/3D``."""
from keras_compat._args import groups, values
from keras_compat.engine.layer import Layer


class _GlobalPooling1D(Layer):
    input_ndim = 3

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], input_shape[2])


class GlobalMaxPooling1D(_GlobalPooling1D):
    """Global max pooling operation for temporal data.

    # Input shape
        ``(samples, steps, features)``.

    # Output shape
        ``(samples, features)``.

    # Torch mapping
        ``x.amax(dim=1)``.

    # Differences from Keras 1
        None.
    """

    def call(self, x, mask=None):
        return x.amax(dim=1)


class GlobalAveragePooling1D(_GlobalPooling1D):
    """Global average pooling operation for temporal data.

    # Input shape
        ``(samples, steps, features)``.

    # Output shape
        ``(samples, features)``.

    # Torch mapping
        ``x.mean(dim=1)``.

    # Differences from Keras 1
        None.
    """

    def call(self, x, mask=None):
        return x.mean(dim=1)


class _GlobalPooling2D(Layer):
    aliases = groups.DATA_FORMAT
    input_ndim = 4

    def __init__(self, dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self.dim_ordering = values.normalize_dim_ordering(type(self).__name__, dim_ordering)

    def _axes(self):
        return (2, 3) if self.dim_ordering == "th" else (1, 2)

    def get_output_shape_for(self, input_shape):
        if self.dim_ordering == "th":
            return (input_shape[0], input_shape[1])
        return (input_shape[0], input_shape[3])


class GlobalMaxPooling2D(_GlobalPooling2D):
    """Global max pooling operation for spatial data.

    # Arguments
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        4D tensor in the layer's ordering.

    # Output shape
        ``(samples, channels)``.

    # Torch mapping
        ``x.amax`` over the two spatial axes.

    # Differences from Keras 1
        None.
    """

    def call(self, x, mask=None):
        return x.amax(dim=self._axes())


class GlobalAveragePooling2D(_GlobalPooling2D):
    """Global average pooling operation for spatial data.

    # Arguments
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        4D tensor in the layer's ordering.

    # Output shape
        ``(samples, channels)``.

    # Torch mapping
        ``x.mean`` over the two spatial axes.

    # Differences from Keras 1
        None.
    """

    def call(self, x, mask=None):
        return x.mean(dim=self._axes())


class _GlobalPooling3D(Layer):
    aliases = groups.DATA_FORMAT
    input_ndim = 5

    def __init__(self, dim_ordering="default", **kwargs):
        super().__init__(**kwargs)
        self.dim_ordering = values.normalize_dim_ordering(type(self).__name__, dim_ordering)

    def _axes(self):
        return (2, 3, 4) if self.dim_ordering == "th" else (1, 2, 3)

    def get_output_shape_for(self, input_shape):
        if self.dim_ordering == "th":
            return (input_shape[0], input_shape[1])
        return (input_shape[0], input_shape[4])


class GlobalMaxPooling3D(_GlobalPooling3D):
    """Global max pooling operation for 3D data.

    # Arguments
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        5D tensor in the layer's ordering.

    # Output shape
        ``(samples, channels)``.

    # Torch mapping
        ``x.amax`` over the three spatial axes.

    # Differences from Keras 1
        None.
    """

    def call(self, x, mask=None):
        return x.amax(dim=self._axes())


class GlobalAveragePooling3D(_GlobalPooling3D):
    """Global average pooling operation for 3D data.

    # Arguments
        dim_ordering: ``'th'``, ``'tf'`` or ``'default'``.

    # Input shape
        5D tensor in the layer's ordering.

    # Output shape
        ``(samples, channels)``.

    # Torch mapping
        ``x.mean`` over the three spatial axes.

    # Differences from Keras 1
        None.
    """

    def call(self, x, mask=None):
        return x.mean(dim=self._axes())
