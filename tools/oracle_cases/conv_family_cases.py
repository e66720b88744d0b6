"""Reference cases for the rest of the convolutional/pooling/local family, made with REAL Keras 1.2.2.

Run under the oracle (Python 3.6, Keras 1.2.2):
    KERAS1_BACKEND=theano     /work/shared/oracle/run_keras1.sh tools/oracle_cases/conv_family_cases.py
    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh tools/oracle_cases/conv_family_cases.py
Optional arguments: substrings selecting cases. Writes tests/data/oracle/inputs/<case>.npz (seeded,
backend independent: x_0, w_00.. in get_weights() order) and tests/data/oracle/<backend>/<case>.npz
(y = model.predict(x), meta JSON).
"""
import json
import os
import sys

import numpy as np

import keras
from keras import backend as K
from keras.layers import convolutional as conv
from keras.layers import local, pooling
from keras.models import Sequential

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data",
                    "oracle")

# name -> (description, builder source, input shape (with batch), backends)
CASES = [
    ("conv3d_th_valid", "conv.Convolution3D(3, 2, 3, 2, dim_ordering='th', input_shape=%s)",
     (2, 2, 4, 5, 4)),
    ("conv3d_th_same", "conv.Convolution3D(3, 3, 2, 3, border_mode='same', subsample=(2, 1, 1), "
     "dim_ordering='th', input_shape=%s)", (2, 2, 5, 4, 4)),
    ("conv3d_tf_valid", "conv.Convolution3D(3, 2, 3, 2, dim_ordering='tf', input_shape=%s)",
     (2, 4, 5, 4, 2)),
    ("conv3d_tf_same", "conv.Convolution3D(3, 3, 2, 3, border_mode='same', subsample=(2, 1, 1), "
     "dim_ordering='tf', input_shape=%s)", (2, 5, 4, 4, 2)),
    ("atrous1d_valid", "conv.AtrousConvolution1D(3, 3, atrous_rate=2, input_shape=%s)",
     (2, 10, 4)),
    ("atrous1d_same", "conv.AtrousConvolution1D(3, 2, atrous_rate=3, border_mode='same', "
     "input_shape=%s)", (2, 9, 4)),
    ("deconv2d_th_valid_s2", "conv.Deconvolution2D(3, 3, 3, output_shape=(None, 3, 9, 9), "
     "subsample=(2, 2), dim_ordering='th', input_shape=%s)", (2, 2, 4, 4)),
    ("deconv2d_tf_valid_s2", "conv.Deconvolution2D(3, 3, 3, output_shape=(None, 9, 9, 3), "
     "subsample=(2, 2), dim_ordering='tf', input_shape=%s)", (2, 4, 4, 2)),
    ("deconv2d_th_same_s2", "conv.Deconvolution2D(3, 3, 3, output_shape=(None, 3, 8, 8), "
     "border_mode='same', subsample=(2, 2), dim_ordering='th', input_shape=%s)", (2, 2, 4, 4)),
    ("deconv2d_tf_same_s2", "conv.Deconvolution2D(3, 3, 3, output_shape=(None, 8, 8, 3), "
     "border_mode='same', subsample=(2, 2), dim_ordering='tf', input_shape=%s)", (2, 4, 4, 2)),
    ("sepconv2d_tf_same", "conv.SeparableConvolution2D(7, 3, 3, depth_multiplier=2, "
     "border_mode='same', dim_ordering='tf', input_shape=%s)", (2, 7, 7, 3)),
    ("sepconv2d_th_valid_s2", "conv.SeparableConvolution2D(6, 3, 2, depth_multiplier=2, "
     "subsample=(2, 2), dim_ordering='th', input_shape=%s)", (2, 3, 8, 7)),
    ("local1d", "local.LocallyConnected1D(3, 3, subsample_length=2, input_shape=%s)", (2, 9, 4)),
    ("local2d_th", "local.LocallyConnected2D(3, 2, 3, subsample=(2, 1), dim_ordering='th', "
     "input_shape=%s)", (2, 2, 5, 6)),
    ("local2d_tf", "local.LocallyConnected2D(3, 2, 3, subsample=(2, 1), dim_ordering='tf', "
     "input_shape=%s)", (2, 5, 6, 2)),
    ("cropping1d", "conv.Cropping1D((1, 2), input_shape=%s)", (2, 7, 3)),
    ("cropping2d_tf", "conv.Cropping2D(((1, 2), (2, 1)), dim_ordering='tf', input_shape=%s)",
     (2, 6, 7, 3)),
    ("cropping3d_th", "conv.Cropping3D(((1, 1), (2, 1), (1, 2)), dim_ordering='th', "
     "input_shape=%s)", (2, 2, 5, 6, 6)),
    ("zeropad3d_tf", "conv.ZeroPadding3D((1, 2, 1), dim_ordering='tf', input_shape=%s)",
     (2, 3, 2, 3, 2)),
    ("upsample3d_th", "conv.UpSampling3D((2, 1, 3), dim_ordering='th', input_shape=%s)",
     (2, 2, 2, 3, 2)),
    ("maxpool3d_th_valid", "pooling.MaxPooling3D((2, 2, 2), dim_ordering='th', input_shape=%s)",
     (2, 2, 5, 5, 4)),
    ("maxpool3d_tf_same", "pooling.MaxPooling3D((2, 2, 2), border_mode='same', "
     "dim_ordering='tf', input_shape=%s)", (2, 5, 5, 4, 2)),
    ("avgpool3d_th_same", "pooling.AveragePooling3D((2, 2, 2), border_mode='same', "
     "dim_ordering='th', input_shape=%s)", (2, 2, 5, 5, 4)),
    ("avgpool3d_tf_same_p3s2", "pooling.AveragePooling3D((3, 3, 3), strides=(2, 2, 2), "
     "border_mode='same', dim_ordering='tf', input_shape=%s)", (2, 5, 5, 4, 2)),
    ("avgpool3d_tf_valid", "pooling.AveragePooling3D((2, 2, 2), dim_ordering='tf', "
     "input_shape=%s)", (2, 5, 5, 4, 2)),
    ("globalmaxpool3d_th", "pooling.GlobalMaxPooling3D(dim_ordering='th', input_shape=%s)",
     (2, 3, 3, 4, 2)),
    ("globalmaxpool3d_tf", "pooling.GlobalMaxPooling3D(dim_ordering='tf', input_shape=%s)",
     (2, 3, 4, 2, 3)),
]


def make(name, source, shape, backend):
    seed = sum(ord(ch) for ch in name)
    rng = np.random.RandomState(seed)
    builder = source % (shape[1:],)
    model = Sequential([eval(builder)])
    x = rng.uniform(-1, 1, size=shape).astype("float32")
    weights = [rng.uniform(-0.5, 0.5, size=w.shape).astype("float32")
               for w in model.get_weights()]
    model.set_weights(weights)
    y = model.predict(x, batch_size=len(x))
    inputs = {"x_0": x}
    for i, w in enumerate(weights):
        inputs["w_%02d" % i] = w
    in_path = os.path.join(ROOT, "inputs", name + ".npz")
    if os.path.exists(in_path):
        old = np.load(in_path)
        for key, value in inputs.items():
            assert np.array_equal(old[key], value), (name, key)
    else:
        np.savez(in_path, **inputs)
    meta = {"description": builder, "backend": backend, "keras_version": keras.__version__,
            "config": model.get_config(), "weight_shapes": [list(w.shape) for w in weights],
            "output_shape": list(model.layers[0].output_shape[1:]),
            "generator": "tools/oracle_cases/conv_family_cases.py"}
    np.savez(os.path.join(ROOT, backend, name + ".npz"), y=y, meta=json.dumps(meta, default=str))
    print(name, backend, y.shape, flush=True)


def main():
    backend = K.backend()
    wanted = sys.argv[1:]
    for name, source, shape in CASES:
        if wanted and not any(w in name for w in wanted):
            continue
        try:
            make(name, source, shape, backend)
        except Exception as exc:  # report and go on: some layers do not exist on a backend
            print("FAILED", name, backend, type(exc).__name__, str(exc)[:300], flush=True)


if __name__ == "__main__":
    main()
