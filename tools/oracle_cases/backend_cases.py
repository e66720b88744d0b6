"""Reference cases for keras.backend functions with numeric content, made with REAL Keras 1.2.2
(run under the oracle, once per backend):

    KERAS1_BACKEND=theano /work/shared/oracle/run_keras1.sh tools/oracle_cases/backend_cases.py
    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh tools/oracle_cases/backend_cases.py

Each case calls one K function on K.variable inputs and evaluates the result(s) with K.eval
(update functions: applied by K.function, then the variable read back).  Writes
tests/data/oracle/inputs/backend_<case>.npz (the input arrays, from a seeded RNG, identical for
both backends) and tests/data/oracle/<backend>/backend_<case>.npz (``y_0``, ``y_1``, ... and a
``meta`` JSON string: function, argument names of the arrays, keyword arguments).  A case the
backend did not implement or failed on (Keras 1.2.2's Theano lacked atrous_conv2d,
separable_conv2d, ctc_decode, and its batch_normalization fails under Python 3) writes no
output for that backend.
"""
from __future__ import print_function

import json
import os

import numpy as np

from keras import backend as K

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle")
BACKEND = K.backend()


def uniform(shape, low=-1., high=1.):
    return lambda rng: rng.uniform(low, high, shape).astype("float32")


def softmax(shape):
    def make(rng):
        z = rng.uniform(-2, 2, shape)
        e = np.exp(z - z.max(-1, keepdims=True))
        return (e / e.sum(-1, keepdims=True)).astype("float32")
    return make


def const(value, dtype="float32"):
    return lambda rng: np.asarray(value, dtype=dtype)


# (case, function, [(argument, maker)], keyword arguments)
CASES = [
    ("conv2d_th_valid", "conv2d", [("x", uniform((2, 3, 6, 5))), ("kernel", uniform((4, 3, 3, 2)))],
     {"dim_ordering": "th"}),
    ("conv2d_tf_same", "conv2d", [("x", uniform((2, 6, 5, 3))), ("kernel", uniform((3, 3, 3, 4)))],
     {"dim_ordering": "tf", "border_mode": "same"}),
    ("conv2d_tf_same_even_s2", "conv2d", [("x", uniform((2, 7, 6, 2))),
                                         ("kernel", uniform((2, 2, 2, 3)))],
     {"dim_ordering": "tf", "border_mode": "same", "strides": (2, 2)}),
    ("conv2d_th_same_even", "conv2d", [("x", uniform((2, 2, 5, 6))),
                                       ("kernel", uniform((3, 2, 2, 4)))],
     {"dim_ordering": "th", "border_mode": "same"}),
    ("conv3d_th_valid", "conv3d", [("x", uniform((1, 2, 4, 5, 4))),
                                   ("kernel", uniform((3, 2, 2, 3, 2)))], {"dim_ordering": "th"}),
    ("conv3d_tf_same", "conv3d", [("x", uniform((1, 4, 4, 5, 2))),
                                  ("kernel", uniform((3, 2, 2, 2, 3)))],
     {"dim_ordering": "tf", "border_mode": "same"}),
    ("atrous_conv2d_tf", "atrous_conv2d", [("x", uniform((1, 7, 7, 2))),
                                           ("kernel", uniform((3, 3, 2, 3)))],
     {"rate": 2, "dim_ordering": "tf"}),
    ("separable_conv2d_tf_same", "separable_conv2d",
     [("x", uniform((1, 5, 6, 2))), ("depthwise_kernel", uniform((3, 3, 2, 2))),
      ("pointwise_kernel", uniform((1, 1, 4, 5)))], {"dim_ordering": "tf", "border_mode": "same"}),
    ("deconv2d_tf_same_s2", "deconv2d", [("x", uniform((2, 3, 4, 2))),
                                         ("kernel", uniform((3, 3, 2, 3)))],
     {"output_shape": (2, 6, 8, 3), "strides": (2, 2), "border_mode": "same",
      "dim_ordering": "tf", "filter_shape": (3, 3, 2, 3)}),
    ("deconv2d_th_valid", "deconv2d", [("x", uniform((2, 2, 3, 4))),
                                       ("kernel", uniform((3, 2, 2, 3)))],
     {"output_shape": (2, 3, 4, 6), "dim_ordering": "th", "filter_shape": (3, 2, 2, 3)}),
    ("pool2d_tf_same_max", "pool2d", [("x", uniform((2, 5, 7, 3)))],
     {"pool_size": (3, 3), "strides": (2, 2), "border_mode": "same", "dim_ordering": "tf"}),
    ("pool2d_th_same_avg", "pool2d", [("x", uniform((2, 3, 5, 6)))],
     {"pool_size": (2, 2), "strides": (2, 2), "border_mode": "same", "dim_ordering": "th",
      "pool_mode": "avg"}),
    ("pool2d_tf_valid_avg", "pool2d", [("x", uniform((2, 6, 7, 2)))],
     {"pool_size": (2, 3), "strides": (1, 2), "dim_ordering": "tf", "pool_mode": "avg"}),
    ("pool3d_th_valid_max", "pool3d", [("x", uniform((1, 2, 5, 4, 6)))],
     {"pool_size": (2, 2, 3), "strides": (2, 1, 2), "dim_ordering": "th"}),
    ("resize_images_th", "resize_images", [("X", uniform((2, 3, 2, 3)))],
     {"height_factor": 2, "width_factor": 3, "dim_ordering": "th"}),
    ("resize_images_tf", "resize_images", [("X", uniform((2, 2, 3, 3)))],
     {"height_factor": 3, "width_factor": 2, "dim_ordering": "tf"}),
    ("resize_volumes_tf", "resize_volumes", [("X", uniform((1, 2, 2, 3, 2)))],
     {"depth_factor": 2, "height_factor": 1, "width_factor": 3, "dim_ordering": "tf"}),
    ("spatial_3d_padding_th", "spatial_3d_padding", [("x", uniform((1, 2, 2, 3, 2)))],
     {"padding": (1, 2, 0), "dim_ordering": "th"}),
    ("asymmetric_spatial_2d_padding_tf", "asymmetric_spatial_2d_padding",
     [("x", uniform((1, 2, 3, 2)))],
     {"top_pad": 0, "bottom_pad": 2, "left_pad": 1, "right_pad": 0, "dim_ordering": "tf"}),
    ("batch_normalization", "batch_normalization",
     [("x", uniform((4, 3))), ("mean", uniform((3,))), ("var", uniform((3,), 0.5, 2.)),
      ("beta", uniform((3,))), ("gamma", uniform((3,)))], {"epsilon": 1e-3}),
    ("normalize_batch_in_training_last", "normalize_batch_in_training",
     [("x", uniform((4, 5, 3))), ("gamma", uniform((3,))), ("beta", uniform((3,)))],
     {"reduction_axes": [0, 1], "epsilon": 1e-3}),
    ("normalize_batch_in_training_th", "normalize_batch_in_training",
     [("x", uniform((3, 2, 4, 4))), ("gamma", uniform((2,))), ("beta", uniform((2,)))],
     {"reduction_axes": [0, 2, 3], "epsilon": 0.01}),
    ("moving_average_update", "moving_average_update",
     [("variable", uniform((2, 3))), ("value", uniform((2, 3)))], {"momentum": 0.9}),
    ("update_add", "update_add", [("x", uniform((2, 3))), ("increment", uniform((2, 3)))], {}),
    ("l2_normalize_last", "l2_normalize", [("x", uniform((4, 3)))], {"axis": -1}),
    ("l2_normalize_0", "l2_normalize", [("x", uniform((4, 3)))], {"axis": 0}),
    ("in_top_k_2", "in_top_k", [("predictions", uniform((6, 5))),
                                ("targets", const([0, 1, 2, 3, 4, 0], "int32"))], {"k": 2}),
    ("ctc_batch_cost", "ctc_batch_cost",
     [("y_true", const([[1, 0, 2, 0], [3, 3, 1, 0]], "int32")), ("y_pred", softmax((2, 7, 5))),
      ("input_length", const([[7], [6]], "int32")), ("label_length", const([[3], [3]], "int32"))],
     {}),
    ("ctc_decode_greedy", "ctc_decode",
     [("y_pred", softmax((3, 6, 4))), ("input_length", const([6, 4, 5], "int32"))],
     {"greedy": True}),
    ("ctc_decode_beam", "ctc_decode",
     [("y_pred", softmax((2, 5, 4))), ("input_length", const([5, 4], "int32"))],
     {"greedy": False, "beam_width": 4, "top_paths": 2}),
    ("reverse_12", "reverse", [("x", uniform((2, 3, 4)))], {"axes": [1, 2]}),
    ("repeat_elements_1", "repeat_elements", [("x", uniform((2, 3, 2)))], {"rep": 2, "axis": 1}),
]

UPDATES = ("moving_average_update", "update_add")


def run(function, arrays, kwargs):
    tensors = [K.variable(a, dtype=str(a.dtype)) for a in arrays]
    fn = getattr(K, function)
    if function in UPDATES:
        update = fn(*tensors, **kwargs)
        K.function([], [], updates=[update])([])
        return [K.get_value(tensors[0])]
    out = fn(*tensors, **kwargs)
    if function == "ctc_decode":
        decoded, log_prob = out
        return [K.eval(d) for d in decoded] + [K.eval(log_prob)]
    if isinstance(out, (list, tuple)):
        return [K.eval(o) for o in out]
    return [K.eval(out)]


def main():
    for index, (name, function, makers, kwargs) in enumerate(CASES):
        rng = np.random.RandomState(2000 + index)
        in_path = os.path.join(DATA, "inputs", "backend_" + name + ".npz")
        if os.path.exists(in_path):
            stored = np.load(in_path)
            arrays = [stored[argument] for argument, _ in makers]
        else:
            arrays = [make(rng) for _, make in makers]
            np.savez(in_path, **dict((argument, a) for (argument, _), a in zip(makers, arrays)))
        try:
            outputs = run(function, arrays, kwargs)
        except (NotImplementedError, AttributeError, ValueError) as error:
            # ValueError: Theano's batch_normalization_test refuses the range() of axes Keras
            # 1.2.2 handed it under Python 3.
            print("skip %s on %s: %s" % (name, BACKEND, error))
            continue
        meta = {"function": function, "arguments": [argument for argument, _ in makers],
                "kwargs": kwargs}
        result = dict(("y_%d" % i, np.asarray(o)) for i, o in enumerate(outputs))
        result["meta"] = np.array(json.dumps(meta))
        np.savez(os.path.join(DATA, BACKEND, "backend_" + name + ".npz"), **result)
        print("wrote", name, [np.asarray(o).shape for o in outputs])


if __name__ == "__main__":
    main()
