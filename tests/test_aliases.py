"""Every alias rule of every exported layer is a test case (the table is data, each row tested).

For a ``Rename``, the alias spelling and the Keras-1 spelling must give the same
``get_config()``, and passing both must raise.  ``MapValues`` rows must map their example
value.  ``Custom`` rows must accept their example.  ``Reject`` rows must refuse with a pointer.
"""
import dataclasses
import json

import pytest

import keras_compat.layers as layers
from keras_compat._args.rules import ArgumentError, Custom, MapValues, Reject, Rename
from keras_compat.backend import naming

# The smallest Keras-1 constructor arguments of each layer class whose constructor has
# required arguments (classes missing here are built with no arguments).
MINIMAL_ARGS = {
    "Dense": dict(output_dim=3),
    "Dropout": dict(p=0.5),
    "Convolution1D": dict(nb_filter=2, filter_length=3),
    "Conv1D": dict(nb_filter=2, filter_length=3),
    "Convolution2D": dict(nb_filter=2, nb_row=3, nb_col=3),
    "Conv2D": dict(nb_filter=2, nb_row=3, nb_col=3),
    "Convolution3D": dict(nb_filter=2, kernel_dim1=3, kernel_dim2=3, kernel_dim3=3),
    "AtrousConvolution1D": dict(nb_filter=2, filter_length=3),
    "AtrousConvolution2D": dict(nb_filter=2, nb_row=3, nb_col=3),
    "SeparableConvolution2D": dict(nb_filter=2, nb_row=3, nb_col=3),
    "Deconvolution2D": dict(nb_filter=2, nb_row=3, nb_col=3, output_shape=(None, 2, 5, 5),
                            dim_ordering="th"),
    "InputLayer": dict(input_shape=(3,)),
    "LocallyConnected1D": dict(nb_filter=2, filter_length=3),
    "LocallyConnected2D": dict(nb_filter=2, nb_row=3, nb_col=3),
    "Embedding": dict(input_dim=10, output_dim=3),
    "Highway": dict(),
    "MaxoutDense": dict(output_dim=3),
    "TimeDistributedDense": dict(output_dim=3),
    "SpatialDropout1D": dict(p=0.5),
    "SpatialDropout2D": dict(p=0.5),
    "SpatialDropout3D": dict(p=0.5),
    "GaussianNoise": dict(sigma=0.5),
    "GaussianDropout": dict(p=0.5),
    "SimpleRNN": dict(output_dim=3),
    "GRU": dict(output_dim=3),
    "LSTM": dict(output_dim=3),
    "ConvLSTM2D": dict(nb_filter=2, nb_row=3, nb_col=3),
}


# Rule examples shared by a group that do not fit one class's argument arity.
EXAMPLE_OVERRIDES = {("Convolution3D", "strides"): (1, 1, 1), ("Convolution3D", "subsample"): (1, 1, 1),
                     ("Convolution3D", "kernel_size"): (3, 3, 3),
                     ("Deconvolution2D", "filters"): 2,
                     ("Deconvolution2D", "data_format"): "channels_first"}


def _rows():
    rows = []
    seen = set()
    for name in layers.__all__:
        cls = getattr(layers, name)
        if cls in seen or not isinstance(cls, type):
            continue
        seen.add(cls)
        name = cls.__name__
        for index, rule in enumerate(getattr(cls, "alias_rules", lambda: ())()):
            override = EXAMPLE_OVERRIDES.get((name, getattr(rule, "old", getattr(rule, "keyword", ""))))
            if override is not None:
                rule = dataclasses.replace(rule, example=override)
            rows.append(pytest.param(name, rule, id="%s-%d-%s" % (name, index, type(rule).__name__)))
    return rows


def _config(layer):
    config = dict(layer.get_config())
    config.pop("name")
    return json.loads(json.dumps(config))


def _build(name, extra):
    cls = _class(name)
    naming.reset_uids()
    return cls(**dict(MINIMAL_ARGS.get(name, {}), **extra))


@pytest.mark.parametrize("name,rule", _rows())
def test_alias_rule(name, rule):
    if isinstance(rule, Rename):
        native = dict(MINIMAL_ARGS.get(name, {}))
        if rule.new in native and rule.new not in ("",):
            native.pop(rule.new)
        cls = _class(name)
        naming.reset_uids()
        via_native = cls(**dict(native, **{rule.new: rule.example}))
        naming.reset_uids()
        via_alias = cls(**dict(native, **{rule.old: rule.example}))
        assert _config(via_alias) == _config(via_native)
        with pytest.raises(TypeError, match=repr(rule.old)):
            cls(**dict(native, **{rule.old: rule.example, rule.new: rule.example}))
    elif isinstance(rule, MapValues):
        mapped = rule.mapping[rule.example]
        arg_owner_ok = rule.arg in _signature_names(_class(name))
        if not arg_owner_ok:
            pytest.skip("%s maps values of %r, which another rule of %s produces" % (
                type(rule).__name__, rule.arg, name))
        assert _config(_build(name, {rule.arg: rule.example})) == \
            _config(_build(name, {rule.arg: mapped}))
    elif isinstance(rule, Custom):
        native = dict(MINIMAL_ARGS.get(name, {}))
        layer_args = dict(native)
        produced = rule.convert(name, rule.example, {})
        for key in produced:
            layer_args.pop(key, None)
        cls = _class(name)
        naming.reset_uids()
        via_custom = cls(**dict(layer_args, **{rule.keyword: rule.example}))
        naming.reset_uids()
        via_native = cls(**dict(layer_args, **produced))
        assert _config(via_custom) == _config(via_native)
        assert rule.describe()
    elif isinstance(rule, Reject):
        with pytest.raises(ArgumentError, match=rule.see.split("#")[0]):
            _build(name, {rule.arg: rule.example})
    else:
        pytest.fail("unknown rule type %r" % (rule,))


def _class(name):
    return next(getattr(layers, n) for n in layers.__all__
                if isinstance(getattr(layers, n), type) and getattr(layers, n).__name__ == name)


def _signature_names(cls):
    import inspect
    return set(inspect.signature(cls.__init__).parameters)


def test_positional_arguments_keep_their_keras1_meaning():
    conv = layers.Convolution2D(64, 3, 3)
    assert (conv.nb_filter, conv.nb_row, conv.nb_col) == (64, 3, 3)
    assert conv.subsample == (1, 1)
    with pytest.raises(ValueError, match="Convolution2D"):
        layers.Convolution2D(64, (3, 3))


def test_method_aliases_on_fit_and_optimizers():
    from keras_compat.models import Sequential
    from keras_compat.optimizers import SGD
    assert SGD(learning_rate=0.5).get_config() == SGD(lr=0.5).get_config()
    with pytest.raises(TypeError, match="learning_rate"):
        SGD(lr=0.1, learning_rate=0.2)
    assert [rule.old for rule in Sequential.fit.aliases if hasattr(rule, "old")] == ["epochs"]
