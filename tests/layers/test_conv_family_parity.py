"""Conv3D / Atrous / Deconv / Separable / LocallyConnected / cropping / padding / 3-D pooling
against real Keras 1.2.2 outputs, under both emulated backends.

References: tests/data/oracle/{inputs,theano,tensorflow}/<case>.npz, made by
tools/oracle_cases/conv_family_cases.py (and atrous2d_th / upsample_pad_crop_th copied from the
shared reference set). Each case runs with the emulated backend matching the folder.
Tolerances: 1e-4 for layers with weights (convolutions), 1e-5 otherwise.
"""

import numpy as np
import pytest

from keras_compat.backend import config
from keras_compat.layers import convolutional as conv
from keras_compat.layers import local, pooling
from keras_compat.models import Sequential

import reference_data

BACKENDS = ("tensorflow", "theano")

# case -> (layer factory taking input_shape, tolerance); same configurations as the generator
CASES = {
    "conv3d_th_valid": (lambda s: conv.Convolution3D(3, 2, 3, 2, dim_ordering="th",
                                                     input_shape=s), 1e-4),
    "conv3d_th_same": (lambda s: conv.Convolution3D(3, 3, 2, 3, border_mode="same",
                                                    subsample=(2, 1, 1), dim_ordering="th",
                                                    input_shape=s), 1e-4),
    "conv3d_tf_valid": (lambda s: conv.Convolution3D(3, 2, 3, 2, dim_ordering="tf",
                                                     input_shape=s), 1e-4),
    "conv3d_tf_same": (lambda s: conv.Convolution3D(3, 3, 2, 3, border_mode="same",
                                                    subsample=(2, 1, 1), dim_ordering="tf",
                                                    input_shape=s), 1e-4),
    "atrous1d_valid": (lambda s: conv.AtrousConvolution1D(3, 3, atrous_rate=2, input_shape=s),
                       1e-4),
    "atrous1d_same": (lambda s: conv.AtrousConvolution1D(3, 2, atrous_rate=3, border_mode="same",
                                                         input_shape=s), 1e-4),
    "atrous2d_th": (lambda s: conv.AtrousConvolution2D(4, 3, 3, atrous_rate=(2, 2),
                                                       dim_ordering="th", input_shape=s), 1e-4),
    "deconv2d_th_valid_s2": (lambda s: conv.Deconvolution2D(
        3, 3, 3, output_shape=(None, 3, 9, 9), subsample=(2, 2), dim_ordering="th",
        input_shape=s), 1e-4),
    "deconv2d_tf_valid_s2": (lambda s: conv.Deconvolution2D(
        3, 3, 3, output_shape=(None, 9, 9, 3), subsample=(2, 2), dim_ordering="tf",
        input_shape=s), 1e-4),
    "deconv2d_th_same_s2": (lambda s: conv.Deconvolution2D(
        3, 3, 3, output_shape=(None, 3, 8, 8), border_mode="same", subsample=(2, 2),
        dim_ordering="th", input_shape=s), 1e-4),
    "deconv2d_tf_same_s2": (lambda s: conv.Deconvolution2D(
        3, 3, 3, output_shape=(None, 8, 8, 3), border_mode="same", subsample=(2, 2),
        dim_ordering="tf", input_shape=s), 1e-4),
    "sepconv2d_tf_same": (lambda s: conv.SeparableConvolution2D(
        7, 3, 3, depth_multiplier=2, border_mode="same", dim_ordering="tf", input_shape=s), 1e-4),
    "sepconv2d_th_valid_s2": (lambda s: conv.SeparableConvolution2D(
        6, 3, 2, depth_multiplier=2, subsample=(2, 2), dim_ordering="th", input_shape=s), 1e-4),
    "local1d": (lambda s: local.LocallyConnected1D(3, 3, subsample_length=2, input_shape=s), 1e-4),
    "local2d_th": (lambda s: local.LocallyConnected2D(3, 2, 3, subsample=(2, 1), dim_ordering="th",
                                                      input_shape=s), 1e-4),
    "local2d_tf": (lambda s: local.LocallyConnected2D(3, 2, 3, subsample=(2, 1), dim_ordering="tf",
                                                      input_shape=s), 1e-4),
    "cropping1d": (lambda s: conv.Cropping1D((1, 2), input_shape=s), 1e-5),
    "cropping2d_tf": (lambda s: conv.Cropping2D(((1, 2), (2, 1)), dim_ordering="tf",
                                                input_shape=s), 1e-5),
    "cropping3d_th": (lambda s: conv.Cropping3D(((1, 1), (2, 1), (1, 2)), dim_ordering="th",
                                                input_shape=s), 1e-5),
    "zeropad3d_tf": (lambda s: conv.ZeroPadding3D((1, 2, 1), dim_ordering="tf", input_shape=s),
                     1e-5),
    "upsample3d_th": (lambda s: conv.UpSampling3D((2, 1, 3), dim_ordering="th", input_shape=s),
                      1e-5),
    "maxpool3d_th_valid": (lambda s: pooling.MaxPooling3D((2, 2, 2), dim_ordering="th",
                                                          input_shape=s), 1e-5),
    "maxpool3d_tf_same": (lambda s: pooling.MaxPooling3D((2, 2, 2), border_mode="same",
                                                         dim_ordering="tf", input_shape=s), 1e-5),
    "avgpool3d_th_same": (lambda s: pooling.AveragePooling3D((2, 2, 2), border_mode="same",
                                                             dim_ordering="th", input_shape=s),
                          1e-5),
    "avgpool3d_tf_same_p3s2": (lambda s: pooling.AveragePooling3D(
        (3, 3, 3), strides=(2, 2, 2), border_mode="same", dim_ordering="tf", input_shape=s), 1e-5),
    "avgpool3d_tf_valid": (lambda s: pooling.AveragePooling3D((2, 2, 2), dim_ordering="tf",
                                                              input_shape=s), 1e-5),
    "globalmaxpool3d_th": (lambda s: pooling.GlobalMaxPooling3D(dim_ordering="th", input_shape=s),
                           1e-5),
    "globalmaxpool3d_tf": (lambda s: pooling.GlobalMaxPooling3D(dim_ordering="tf", input_shape=s),
                           1e-5),
}

TF_ONLY = {"sepconv2d_tf_same", "sepconv2d_th_valid_s2"}  # Keras 1.2.2: TensorFlow backend only
PARAMS = [(case, backend) for case in CASES for backend in BACKENDS
          if not (case in TF_ONLY and backend == "theano")]


def run_case(case, backend):
    """Our output for ``case`` under ``backend`` and the Keras-1 reference (for error tables)."""
    config.set_backend(backend)
    recorded = reference_data.oracle(case, backend)
    x, outputs, weights = recorded.x, recorded, recorded.weights
    factory, tol = CASES[case]
    layer = factory(x.shape[1:])
    model = Sequential([layer])
    assert [tuple(w.shape) for w in model.get_weights()] == [w.shape for w in weights]
    model.set_weights(weights)
    y = model.predict(x, batch_size=len(x))
    assert layer.output_shape[1:] == outputs["y"].shape[1:], (layer.output_shape,
                                                               outputs["y"].shape)
    return y, outputs["y"], tol


@pytest.mark.parametrize("case,backend", PARAMS)
def test_against_keras1(case, backend):
    y, ref, tol = run_case(case, backend)
    np.testing.assert_allclose(y, ref, atol=tol, rtol=0)


@pytest.mark.parametrize("case", sorted(CASES))
def test_reference_describes_the_same_layer(case, oracle):
    """Guard against a drift between the generator's builder and the factory above."""
    recorded = oracle(case, "tensorflow")
    cls = recorded.meta["description"].split("(")[0].split(".")[-1]
    x = recorded.x
    config.set_backend("tensorflow")
    assert type(CASES[case][0](x.shape[1:])).__name__ == cls


def test_conv_kernels_really_differ_between_backends(oracle):
    """The refs pin true convolution (Theano) vs cross-correlation (TF) for the new layers."""
    for case in ("conv3d_th_valid", "atrous1d_valid", "deconv2d_tf_valid_s2", "atrous2d_th"):
        th = oracle(case)["y"]
        tf = oracle(case, "tensorflow")["y"]
        assert np.abs(th - tf).max() > 1e-3, case


@pytest.mark.parametrize("backend", BACKENDS)
def test_upsample_pad_crop_chain(backend, oracle):
    """UpSampling2D -> ZeroPadding2D -> Cropping2D (th) against every stored layer output."""
    config.set_backend(backend)
    recorded = oracle("upsample_pad_crop_th", backend)
    x, outputs = recorded.x, recorded
    model = Sequential([conv.UpSampling2D((2, 2), dim_ordering="th", input_shape=x.shape[1:]),
                        conv.ZeroPadding2D((1, 2), dim_ordering="th"),
                        conv.Cropping2D(((1, 0), (0, 2)), dim_ordering="th")])
    y = model.predict(x, batch_size=len(x))
    np.testing.assert_allclose(y, outputs["y"], atol=1e-5, rtol=0)
    key = [k for k in outputs.files if k.startswith("lo_02_")][0]
    np.testing.assert_allclose(y, outputs[key], atol=1e-5, rtol=0)
