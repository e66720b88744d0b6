"""Keras-1 layer attributes, recorded from REAL Keras 1.2.2 (run under the oracle):

    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh \
        tools/oracle_cases/layer_attributes_cases.py

(TensorFlow: SeparableConvolution2D exists only there in Keras 1.2.2.)

Writes tests/data/oracle/layer_attributes.json: one entry per layer case (class, constructor
kwargs, input shape) with

- ``weight_attributes``: every attribute of the built layer whose value is one of its weight
  variables, as ``{name: [index in layer.weights (= get_weights() index), shape]}``;
- ``attributes``: the other attributes 2016 code reads (``losses``/``updates`` lengths,
  ``constraints`` keyed by weight attribute name, ``input_spec`` shapes/ndims, ``stateful``,
  ``uses_learning_phase``, ``supports_masking``, ``trainable``, number of ``inbound_nodes``),
  after the layer was called once on an ``Input``; ``null`` where the attribute is missing.

Image layers use ``image_dim_ordering='tf'`` (the oracle's default keras.json).
"""
from __future__ import print_function

import json
import os
import warnings

import keras
from keras import backend as K
from keras import layers as L
from keras.engine.topology import Input

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle", "layer_attributes.json")

# (case name, class name, kwargs, input shape without the batch axis, input dtype)
CASES = [
    ("dense", "Dense", dict(output_dim=3), (4,), "float32"),
    ("dense_regularized", "Dense", dict(output_dim=3, W_regularizer="l2", b_regularizer="l1",
                                        activity_regularizer="activity_l2",
                                        W_constraint="maxnorm", b_constraint="nonneg"),
     (4,), "float32"),
    ("dense_no_bias", "Dense", dict(output_dim=3, bias=False), (4,), "float32"),
    ("time_distributed_dense", "TimeDistributedDense", dict(output_dim=3), (2, 4), "float32"),
    ("maxout_dense", "MaxoutDense", dict(output_dim=3, nb_feature=2), (4,), "float32"),
    ("highway", "Highway", dict(), (4,), "float32"),
    ("embedding", "Embedding", dict(input_dim=10, output_dim=3), (5,), "int32"),
    ("convolution1d", "Convolution1D", dict(nb_filter=2, filter_length=3), (6, 4), "float32"),
    ("atrous_convolution1d", "AtrousConvolution1D",
     dict(nb_filter=2, filter_length=3, atrous_rate=2), (8, 4), "float32"),
    ("convolution2d", "Convolution2D", dict(nb_filter=2, nb_row=3, nb_col=3), (6, 6, 3),
     "float32"),
    ("atrous_convolution2d", "AtrousConvolution2D",
     dict(nb_filter=2, nb_row=3, nb_col=3, atrous_rate=(2, 2)), (8, 8, 3), "float32"),
    ("separable_convolution2d", "SeparableConvolution2D",
     dict(nb_filter=8, nb_row=3, nb_col=3, depth_multiplier=2), (6, 6, 3), "float32"),
    ("deconvolution2d", "Deconvolution2D",
     dict(nb_filter=2, nb_row=3, nb_col=3, output_shape=(None, 8, 8, 2)), (6, 6, 3), "float32"),
    ("convolution3d", "Convolution3D",
     dict(nb_filter=2, kernel_dim1=2, kernel_dim2=2, kernel_dim3=2), (4, 4, 4, 3), "float32"),
    ("locally_connected1d", "LocallyConnected1D", dict(nb_filter=2, filter_length=3), (6, 4),
     "float32"),
    ("locally_connected2d", "LocallyConnected2D", dict(nb_filter=2, nb_row=3, nb_col=3),
     (6, 6, 3), "float32"),
    ("simple_rnn", "SimpleRNN", dict(output_dim=3), (5, 4), "float32"),
    ("gru_cpu", "GRU", dict(output_dim=3, consume_less="cpu"), (5, 4), "float32"),
    ("gru_mem", "GRU", dict(output_dim=3, consume_less="mem"), (5, 4), "float32"),
    ("gru_gpu", "GRU", dict(output_dim=3, consume_less="gpu"), (5, 4), "float32"),
    ("lstm_cpu", "LSTM", dict(output_dim=3, consume_less="cpu"), (5, 4), "float32"),
    ("lstm_mem", "LSTM", dict(output_dim=3, consume_less="mem"), (5, 4), "float32"),
    ("lstm_gpu", "LSTM", dict(output_dim=3, consume_less="gpu"), (5, 4), "float32"),
    ("lstm_dropout", "LSTM", dict(output_dim=3, dropout_W=0.2, dropout_U=0.1), (5, 4),
     "float32"),
    ("conv_lstm2d", "ConvLSTM2D", dict(nb_filter=2, nb_row=3, nb_col=3), (3, 6, 6, 3),
     "float32"),
    ("batch_normalization", "BatchNormalization", dict(), (4,), "float32"),
    ("batch_normalization_mode1", "BatchNormalization", dict(mode=1), (4,), "float32"),
    ("prelu", "PReLU", dict(), (4,), "float32"),
    ("parametric_softplus", "ParametricSoftplus", dict(), (4,), "float32"),
    ("srelu", "SReLU", dict(), (4,), "float32"),
    ("leaky_relu", "LeakyReLU", dict(), (4,), "float32"),
    ("elu", "ELU", dict(), (4,), "float32"),
    ("thresholded_relu", "ThresholdedReLU", dict(), (4,), "float32"),
    ("dropout", "Dropout", dict(p=0.5), (4,), "float32"),
    ("spatial_dropout2d", "SpatialDropout2D", dict(p=0.5), (6, 6, 3), "float32"),
    ("gaussian_noise", "GaussianNoise", dict(sigma=0.1), (4,), "float32"),
    ("gaussian_dropout", "GaussianDropout", dict(p=0.3), (4,), "float32"),
    ("activation", "Activation", dict(activation="relu"), (4,), "float32"),
    ("activity_regularization", "ActivityRegularization", dict(l1=0.1), (4,), "float32"),
    ("masking", "Masking", dict(), (5, 4), "float32"),
    ("flatten", "Flatten", dict(), (2, 3), "float32"),
    ("reshape", "Reshape", dict(target_shape=(3, 2)), (6,), "float32"),
    ("permute", "Permute", dict(dims=(2, 1)), (2, 3), "float32"),
    ("repeat_vector", "RepeatVector", dict(n=2), (3,), "float32"),
    ("max_pooling2d", "MaxPooling2D", dict(), (6, 6, 3), "float32"),
    ("global_average_pooling1d", "GlobalAveragePooling1D", dict(), (5, 4), "float32"),
    ("zero_padding2d", "ZeroPadding2D", dict(), (6, 6, 3), "float32"),
    ("up_sampling2d", "UpSampling2D", dict(), (6, 6, 3), "float32"),
    ("cropping2d", "Cropping2D", dict(cropping=((1, 1), (1, 1))), (6, 6, 3), "float32"),
]

WRAPPED = [
    ("time_distributed", "TimeDistributed", ("Dense", dict(output_dim=3)), (2, 4)),
    ("bidirectional", "Bidirectional", ("LSTM", dict(output_dim=3)), (5, 4)),
]


def weight_attributes(layer):
    found = {}
    for name, value in sorted(vars(layer).items()):
        for index, weight in enumerate(layer.weights):
            if value is weight:
                found[name] = [index, [int(d) for d in K.get_value(weight).shape]]
    return found


def spec_entry(spec):
    if spec is None:
        return None
    return {"shape": None if spec.shape is None else list(spec.shape), "ndim": spec.ndim,
            "dtype": spec.dtype}


def other_attributes(layer):
    names = {id(v): k for k, v in vars(layer).items()}
    attrs = {}
    for attr in ("losses", "updates"):
        attrs[attr] = len(getattr(layer, attr)) if hasattr(layer, attr) else None
    attrs["constraints"] = {names.get(id(key), "?"): type(value).__name__
                            for key, value in layer.constraints.items()}
    spec = layer.input_spec
    attrs["input_spec"] = None if spec is None else [spec_entry(s) for s in spec]
    for attr in ("stateful", "uses_learning_phase", "supports_masking", "trainable"):
        attrs[attr] = getattr(layer, attr) if hasattr(layer, attr) else None
    attrs["inbound_nodes"] = len(layer.inbound_nodes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        attrs["regularizers"] = list(layer.regularizers)
    attrs["regularizers_warning"] = [(w.category.__name__, str(w.message)) for w in caught]
    return attrs


def record(name, layer, shape, dtype, cls, kwargs):
    layer(Input(shape=shape, dtype=dtype))
    return {"case": name, "class": cls, "kwargs": kwargs, "input_shape": list(shape),
            "input_dtype": dtype, "weight_attributes": weight_attributes(layer),
            "attributes": other_attributes(layer)}


def main():
    entries = []
    for name, cls, kwargs, shape, dtype in CASES:
        entries.append(record(name, getattr(L, cls)(**kwargs), shape, dtype, cls, kwargs))
    for name, cls, (inner, inner_kwargs), shape in WRAPPED:
        layer = getattr(L, cls)(getattr(L, inner)(**inner_kwargs))
        entry = record(name, layer, shape, "float32", cls, {})
        entry["inner"] = [inner, inner_kwargs]
        entries.append(entry)
    with open(OUT, "w") as handle:
        json.dump({"keras": keras.__version__, "backend": K.backend(),
                   "image_dim_ordering": K.image_dim_ordering(), "cases": entries},
                  handle, indent=1, sort_keys=True)
    print("wrote", len(entries), "cases to", OUT)


if __name__ == "__main__":
    main()
