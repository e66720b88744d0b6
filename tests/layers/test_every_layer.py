"""``layer_test`` for every layer that ``keras_compat.layers`` exports, from one table.

Each row is one class with Keras-1 keyword arguments and an input shape (batch first; the
default image_dim_ordering, ``tf``, puts channels last). Names that are the same class as
another row, or that are not layers ``layer_test`` can build alone (functions, abstract
bases, the multi-input ``Merge``), are listed with what is checked instead. A new export
without a row fails ``test_every_export_has_a_row``.
"""
import pytest
import torch

import keras_compat.layers as L
from keras_compat.engine.topology import Layer
from keras_compat.testing.layer_test import layer_test

pytestmark = pytest.mark.filterwarnings("ignore:`TimeDistributedDense` is deprecated")


def _double(x):
    return x * 2


# name: (kwargs, input shape[, input dtype]); a callable kwargs builds fresh inner layers.
ROWS = {
    "Activation": ({"activation": "tanh"}, (3, 4)),
    "ActivityRegularization": ({"l1": 0.01, "l2": 0.01}, (3, 4)),
    "AtrousConvolution1D": ({"nb_filter": 2, "filter_length": 3, "atrous_rate": 2}, (2, 9, 3)),
    "AtrousConvolution2D": ({"nb_filter": 2, "nb_row": 3, "nb_col": 3, "atrous_rate": (2, 2)},
                            (2, 7, 7, 3)),
    "AveragePooling1D": ({"pool_length": 2}, (2, 6, 3)),
    "AveragePooling2D": ({"pool_size": (2, 2)}, (2, 4, 4, 3)),
    "AveragePooling3D": ({"pool_size": (2, 2, 2)}, (2, 4, 4, 4, 2)),
    "BatchNormalization": ({"momentum": 0.9}, (3, 4)),
    "Bidirectional": (lambda: {"layer": L.LSTM(3), "merge_mode": "concat"}, (2, 4, 5)),
    "ConvLSTM2D": ({"nb_filter": 2, "nb_row": 3, "nb_col": 3, "border_mode": "same"},
                   (2, 3, 5, 5, 2)),
    "Convolution1D": ({"nb_filter": 2, "filter_length": 3}, (2, 6, 3)),
    "Convolution2D": ({"nb_filter": 2, "nb_row": 3, "nb_col": 3}, (2, 5, 5, 3)),
    "Convolution3D": ({"nb_filter": 2, "kernel_dim1": 2, "kernel_dim2": 2, "kernel_dim3": 2},
                      (2, 4, 4, 4, 2)),
    "Cropping1D": ({"cropping": (1, 2)}, (2, 6, 3)),
    "Cropping2D": ({"cropping": ((1, 0), (0, 2))}, (2, 5, 5, 3)),
    "Cropping3D": ({"cropping": ((1, 1), (0, 1), (1, 0))}, (2, 4, 4, 4, 2)),
    "Deconvolution2D": ({"nb_filter": 2, "nb_row": 3, "nb_col": 3, "output_shape": (None, 7, 7, 2)},
                        (2, 5, 5, 3)),
    "Dense": ({"output_dim": 3}, (3, 4)),
    "Dropout": ({"p": 0.5}, (3, 4)),
    "ELU": ({"alpha": 0.5}, (3, 4)),
    "Embedding": ({"input_dim": 10, "output_dim": 3}, (2, 5), "int32"),
    "Flatten": ({}, (2, 3, 4)),
    "GRU": ({"output_dim": 3}, (2, 4, 5)),
    "GaussianDropout": ({"p": 0.3}, (3, 4)),
    "GaussianNoise": ({"sigma": 0.1}, (3, 4)),
    "GlobalAveragePooling1D": ({}, (2, 6, 3)),
    "GlobalAveragePooling2D": ({}, (2, 4, 4, 3)),
    "GlobalAveragePooling3D": ({}, (2, 4, 4, 4, 2)),
    "GlobalMaxPooling1D": ({}, (2, 6, 3)),
    "GlobalMaxPooling2D": ({}, (2, 4, 4, 3)),
    "GlobalMaxPooling3D": ({}, (2, 4, 4, 4, 2)),
    "Highway": ({"activation": "tanh"}, (3, 4)),
    "InputLayer": ({}, (3, 4)),
    "LSTM": ({"output_dim": 3, "return_sequences": True}, (2, 4, 5)),
    "Lambda": ({"function": _double}, (3, 4)),
    "LeakyReLU": ({"alpha": 0.2}, (3, 4)),
    "LocallyConnected1D": ({"nb_filter": 2, "filter_length": 3}, (2, 6, 3)),
    "LocallyConnected2D": ({"nb_filter": 2, "nb_row": 3, "nb_col": 3}, (2, 5, 5, 3)),
    "Masking": ({"mask_value": 0.5}, (2, 4, 3)),
    "MaxPooling1D": ({"pool_length": 2}, (2, 6, 3)),
    "MaxPooling2D": ({"pool_size": (2, 2)}, (2, 4, 4, 3)),
    "MaxPooling3D": ({"pool_size": (2, 2, 2)}, (2, 4, 4, 4, 2)),
    "MaxoutDense": ({"output_dim": 3, "nb_feature": 2}, (3, 4)),
    "PReLU": ({}, (3, 4)),
    "ParametricSoftplus": ({}, (3, 4)),
    "Permute": ({"dims": (2, 1)}, (2, 3, 4)),
    "RepeatVector": ({"n": 3}, (2, 4)),
    "Reshape": ({"target_shape": (2, 6)}, (2, 3, 4)),
    "SReLU": ({}, (3, 4)),
    "SeparableConvolution2D": ({"nb_filter": 4, "nb_row": 3, "nb_col": 3, "depth_multiplier": 1},
                               (2, 5, 5, 3)),
    "SimpleRNN": ({"output_dim": 3}, (2, 4, 5)),
    "SpatialDropout1D": ({"p": 0.5}, (2, 4, 3)),
    "SpatialDropout2D": ({"p": 0.5}, (2, 4, 4, 3)),
    "SpatialDropout3D": ({"p": 0.5}, (2, 4, 4, 4, 2)),
    "ThresholdedReLU": ({"theta": 0.5}, (3, 4)),
    # input_dim on the inner layer: Keras 1.2.2 also gives a rebuilt inner layer a
    # batch_input_shape, so its config round trip is only exact with one given.
    "TimeDistributed": (lambda: {"layer": L.Dense(3, input_dim=5)}, (2, 4, 5)),
    "TimeDistributedDense": ({"output_dim": 3}, (2, 4, 5)),
    "TorchModule": (lambda: {"module": torch.nn.Sequential(torch.nn.Linear(5, 3), torch.nn.Tanh())},
                    (2, 4, 5)),
    "UpSampling1D": ({"length": 2}, (2, 3, 2)),
    "UpSampling2D": ({"size": (2, 3)}, (2, 3, 3, 2)),
    "UpSampling3D": ({"size": (2, 2, 2)}, (2, 2, 3, 2, 2)),
    "ZeroPadding1D": ({"padding": 2}, (2, 3, 2)),
    "ZeroPadding2D": ({"padding": (1, 2)}, (2, 3, 3, 2)),
    "ZeroPadding3D": ({"padding": (1, 1, 2)}, (2, 2, 3, 2, 2)),
}

# Keras 1.2.2's short names: the very same class as the long name's row.
ALIASES = {
    "AtrousConv1D": "AtrousConvolution1D",
    "AtrousConv2D": "AtrousConvolution2D",
    "Conv1D": "Convolution1D",
    "Conv2D": "Convolution2D",
    "Conv3D": "Convolution3D",
    "Deconv2D": "Deconvolution2D",
    "SeparableConv2D": "SeparableConvolution2D",
}

# Exports that layer_test cannot build alone, each with what is checked of it here (the
# behaviour itself is tested in the named files).
NOT_ALONE = {
    "Input": "a function returning a Keras tensor (tests/engine/test_functional.py)",
    "merge": "a function merging Keras tensors (tests/engine/test_merge.py)",
    "Merge": "a layer over several inputs (tests/engine/test_merge.py)",
    "Recurrent": "the abstract base of LSTM, GRU and SimpleRNN",
    "ConvRecurrent2D": "the abstract base of ConvLSTM2D",
    "Wrapper": "the abstract base of TimeDistributed and Bidirectional",
}


def test_every_export_has_a_row():
    exported = set(L.__all__)
    listed = set(ROWS) | set(ALIASES) | set(NOT_ALONE)
    assert sorted(exported - listed) == [], "exported layers without a row in ROWS"
    assert sorted(listed - exported) == [], "rows for names keras_compat.layers does not export"
    assert not set(ROWS) & (set(ALIASES) | set(NOT_ALONE))


@pytest.mark.parametrize("name", sorted(ROWS))
def test_layer_test(name):
    kwargs, input_shape, *dtype = ROWS[name]
    kwargs = kwargs() if callable(kwargs) else dict(kwargs)
    layer_test(getattr(L, name), kwargs=kwargs, input_shape=input_shape,
               input_dtype=dtype[0] if dtype else "float32")


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_alias_is_the_same_class(alias):
    assert getattr(L, alias) is getattr(L, ALIASES[alias])


def test_exports_that_are_not_built_alone():
    tensor = L.Input(shape=(3,))
    assert not isinstance(L.Input, type) and tuple(tensor._keras_shape) == (None, 3)
    merged = L.merge([tensor, tensor], mode="sum")
    assert not isinstance(L.merge, type) and tuple(merged._keras_shape) == (None, 3)
    assert issubclass(L.Merge, Layer)
    for base, subclasses in ((L.Recurrent, ("LSTM", "GRU", "SimpleRNN")),
                             (L.ConvRecurrent2D, ("ConvLSTM2D",)),
                             (L.Wrapper, ("TimeDistributed", "Bidirectional"))):
        assert all(issubclass(getattr(L, name), base) for name in subclasses), base
        assert all(name in ROWS for name in subclasses)


def test_each_row_is_a_distinct_layer_class():
    classes = [getattr(L, name) for name in ROWS]
    assert len(set(classes)) == len(classes)
    assert all(issubclass(cls, Layer) for cls in classes)
