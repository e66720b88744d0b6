"""Reference cases for the weightless reshaping and pooling layers that had none, made with
REAL Keras 1.2.2 (run under the oracle, once per backend):

    /work/shared/oracle/run_keras1.sh tools/oracle_cases/shape_layers_cases.py
    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh tools/oracle_cases/shape_layers_cases.py

Each case is a one-layer Sequential.  Writes tests/data/oracle/inputs/<case>.npz (``x_0``,
from a seeded RNG, identical for both backends) and tests/data/oracle/<backend>/<case>.npz
(``y`` from ``predict`` and a ``meta`` JSON string holding the model's Keras-1 config, so the
test rebuilds exactly the layer Keras 1 ran).
"""
from __future__ import print_function

import json
import os

import numpy as np

import keras
from keras import backend as K
from keras.layers import (AveragePooling1D, GlobalAveragePooling1D, GlobalAveragePooling3D,
                          GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D, Permute,
                          RepeatVector, Reshape, UpSampling1D, ZeroPadding1D)
from keras.models import Sequential

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle")
BACKEND = K.backend()

CASES = [
    ("reshape_minus_one", lambda: Reshape((-1, 2), input_shape=(6, 4)), (3, 6, 4)),
    ("permute_2_1", lambda: Permute((2, 1), input_shape=(3, 5)), (2, 3, 5)),
    ("repeat_vector_3", lambda: RepeatVector(3, input_shape=(5,)), (4, 5)),
    ("upsampling1d_3", lambda: UpSampling1D(length=3, input_shape=(4, 3)), (2, 4, 3)),
    ("zeropadding1d_2", lambda: ZeroPadding1D(padding=2, input_shape=(4, 3)), (2, 4, 3)),
    ("avgpool1d_valid_s1", lambda: AveragePooling1D(pool_length=3, stride=1, input_shape=(7, 3)),
     (2, 7, 3)),
    ("avgpool1d_same", lambda: AveragePooling1D(pool_length=2, border_mode="same",
                                                input_shape=(7, 3)), (2, 7, 3)),
    ("maxpool1d_same", lambda: MaxPooling1D(pool_length=2, border_mode="same", input_shape=(7, 3)),
     (2, 7, 3)),
    ("globalmaxpool1d", lambda: GlobalMaxPooling1D(input_shape=(6, 4)), (3, 6, 4)),
    ("globalavgpool1d", lambda: GlobalAveragePooling1D(input_shape=(6, 4)), (3, 6, 4)),
    ("globalmaxpool2d_th", lambda: GlobalMaxPooling2D(dim_ordering="th", input_shape=(3, 5, 4)),
     (2, 3, 5, 4)),
    ("globalmaxpool2d_tf", lambda: GlobalMaxPooling2D(dim_ordering="tf", input_shape=(5, 4, 3)),
     (2, 5, 4, 3)),
    ("globalavgpool3d_th", lambda: GlobalAveragePooling3D(dim_ordering="th",
                                                          input_shape=(2, 3, 4, 5)), (2, 2, 3, 4, 5)),
    ("globalavgpool3d_tf", lambda: GlobalAveragePooling3D(dim_ordering="tf",
                                                          input_shape=(3, 4, 5, 2)), (2, 3, 4, 5, 2)),
]


def main():
    for index, (name, build, shape) in enumerate(CASES):
        rng = np.random.RandomState(1000 + index)
        x = rng.uniform(-1, 1, shape).astype("float32")
        in_path = os.path.join(DATA, "inputs", name + ".npz")
        if os.path.exists(in_path):
            x = np.load(in_path)["x_0"]
        else:
            np.savez(in_path, x_0=x)
        model = Sequential([build()])
        y = model.predict(x, batch_size=len(x))
        meta = dict(case=name, backend=BACKEND, keras=keras.__version__,
                    config=model.get_config(), output_shape=list(model.output_shape))
        np.savez(os.path.join(DATA, BACKEND, name + ".npz"), y=y,
                 meta=np.array(json.dumps(meta, default=str)))
        print(name, x.shape, "->", y.shape)


if __name__ == "__main__":
    main()
