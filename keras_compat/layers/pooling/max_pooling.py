"""``MaxPooling1D``, ``MaxPooling2D`` and ``MaxPooling3D``."""
from keras_compat.layers.pooling.base_pooling import (_Pooling1D, _Pooling2D, _Pooling3D,
                                                      pooling_doc)


class MaxPooling1D(_Pooling1D):
    __doc__ = pooling_doc(
        "Max pooling operation for temporal data.", 1,
        """``F.max_pool1d`` on ``x.transpose(1, 2)``; ``'same'`` padding with ``-inf`` placed as the
        emulated backend does.""")

    mode = "max"


class MaxPooling2D(_Pooling2D):
    __doc__ = pooling_doc(
        "Max pooling operation for spatial data.", 2,
        """``F.max_pool2d`` on a channels-first view; ``'same'`` padding with ``-inf`` placed as the
        emulated backend does (TF: at the end; Theano: on both sides, then cropped).""")

    mode = "max"


class MaxPooling3D(_Pooling3D):
    __doc__ = pooling_doc(
        "Max pooling operation for 3D data (spatial or spatio-temporal).", 3,
        """``F.max_pool3d`` on a channels-first view; ``'same'`` padding with ``-inf`` placed as the
        emulated backend does (TF: at the end; Theano: ``pool_3d`` padding on both sides, then
        cropped).""")

    mode = "max"
