"""``AveragePooling1D``, ``AveragePooling2D`` and ``AveragePooling3D``."""
from keras_compat.layers.pooling.base_pooling import (_Pooling1D, _Pooling2D, _Pooling3D,
                                                      pooling_doc)


class AveragePooling1D(_Pooling1D):
    __doc__ = pooling_doc(
        "Average pooling for temporal data.", 1,
        """``F.avg_pool1d``; with ``'same'`` the padded cells are excluded from the divisor (both
        Keras-1 backends do so), the padding placed as the emulated backend does.""")

    mode = "avg"


class AveragePooling2D(_Pooling2D):
    __doc__ = pooling_doc(
        "Average pooling operation for spatial data.", 2,
        """``F.avg_pool2d`` on a channels-first view; with ``'same'`` the padded cells are excluded
        from the divisor, the padding placed as the emulated backend does.""")

    mode = "avg"


class AveragePooling3D(_Pooling3D):
    __doc__ = pooling_doc(
        "Average pooling operation for 3D data (spatial or spatio-temporal).", 3,
        """``F.avg_pool3d`` on a channels-first view; with ``'same'`` the padded cells are excluded
        from the divisor (both Keras-1 backends do so), the padding placed as the emulated
        backend does.""")

    mode = "avg"
