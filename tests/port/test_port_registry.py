"""The translator registry: looked up by class along the MRO, so a subclass of a built-in layer
ports as that layer unless it overrides a method that computes the output or the mask; and
translators read layers only through public attributes or the layer's ``port_spec()``."""
import ast
import os

import numpy as np
import pytest
import torch

from keras_compat import port
from keras_compat.backend import config
from keras_compat.layers import (LSTM, Convolution2D, ConvLSTM2D, Dense, Dropout, Lambda,
                                 MaxPooling2D, Merge, SpatialDropout1D, ZeroPadding1D)
from keras_compat.models import Sequential
from keras_compat.port import registry


class DenseWithHelper(Dense):
    """Adds a method and changes a default: computes as Dense."""

    def __init__(self, output_dim, activation="tanh", **kwargs):
        super().__init__(output_dim, activation=activation, **kwargs)

    def describe(self):
        return "dense of %d" % self.output_dim


class DenseWithHelperAgain(DenseWithHelper):
    """Two levels below the registered class."""


class ScaledDense(Dense):
    def call(self, x, mask=None):
        return super().call(x) * 3


class MaskingDense(Dense):
    def compute_mask(self, x, mask=None):
        return None


class ForwardDense(Dense):
    def forward(self, x, mask=None):
        return super().forward(x, mask) + 1


class NamedLSTM(LSTM):
    """Previously looked up by the name ``NamedLSTM``: nothing was found."""


class WiderPadding(ZeroPadding1D):
    pass


class StridedPooling(MaxPooling2D):
    pass


class ChannelDropout(SpatialDropout1D):
    pass


class TaggedLambda(Lambda):
    pass


def _randomize(model):
    for layer in model.layers:
        arrays = layer.get_weights()
        if arrays:
            layer.set_weights([np.random.rand(*a.shape).astype("float32") - 0.5 for a in arrays])


def _check(model, x):
    ported = model.to_torch()
    with torch.no_grad():
        got = ported(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, model.predict(x, batch_size=len(x)), atol=1e-6, rtol=0)
    return ported


@pytest.mark.parametrize("cls", [DenseWithHelper, DenseWithHelperAgain])
def test_subclass_that_only_adds_a_method_ports_as_its_base(cls):
    layer = cls(3, input_dim=4, name="helper")
    assert registry.registered_class(layer) is Dense
    model = Sequential([layer])
    _randomize(model)
    ported = _check(model, np.random.rand(5, 4).astype("float32"))
    source, _ = port.generate_source(model)
    assert "# helper (%s)" % cls.__name__ in source  # the comment keeps the user's class
    assert "torch.tanh" in source  # the subclass's own default activation
    np.testing.assert_array_equal(ported.state_dict()["helper.weight"].numpy(),
                                  layer.get_weights()[0].T)


@pytest.mark.parametrize("cls,method", [(ScaledDense, "call"), (MaskingDense, "compute_mask"),
                                        (ForwardDense, "forward")])
def test_subclass_overriding_a_computing_method_is_refused(cls, method):
    model = Sequential([cls(2, input_dim=3, name="custom")])
    with pytest.raises(port.PortError) as info:
        model.to_torch()
    assert str(info.value) == (
        "to_torch: layer custom (%s) has no plain-PyTorch translation; supported layers are "
        "listed in migration_guide/porting.md, and a custom layer must be written by hand in "
        "the generated forward(); %s overrides Dense.%s(), so it may compute something else"
        % (cls.__name__, cls.__name__, method))


def test_lambda_subclass_gets_the_lambda_message():
    model = Sequential([TaggedLambda(lambda x: x * 2, input_shape=(3,), name="twice")])
    with pytest.raises(port.PortError, match=r"^to_torch: layer twice \(TaggedLambda\) has no "
                                             r"plain-PyTorch translation: its function is "
                                             r"arbitrary Python"):
        model.to_torch()


def test_the_nearest_registered_class_wins():
    # SpatialDropout1D is a Dropout; its own translator, not Dropout's, must be found
    assert issubclass(SpatialDropout1D, Dropout)
    layer = ChannelDropout(0.5)
    assert registry.registered_class(layer) is SpatialDropout1D
    assert registry.translator_for(layer).__name__ == "spatial_dropout"


def test_subclasses_dispatch_on_their_registered_class_not_their_name():
    config.set_backend("tensorflow")
    model = Sequential([WiderPadding((1, 2), input_shape=(5, 4)),
                        NamedLSTM(3, return_sequences=True)])
    _randomize(model)
    _check(model, np.random.rand(2, 5, 4).astype("float32"))
    images = Sequential([Convolution2D(2, 3, 3, dim_ordering="tf", input_shape=(6, 6, 1)),
                         StridedPooling((2, 2), border_mode="same", dim_ordering="tf")])
    _randomize(images)
    source, _ = port.generate_source(images)
    assert "F.max_pool2d" in source
    _check(images, np.random.rand(2, 6, 6, 1).astype("float32"))


def test_registering_a_class_twice_is_a_bug_caught_at_import():
    with pytest.raises(RuntimeError, match="two translators for Dense"):
        registry.translates(Dense)(lambda call: [])


def test_supported_classes_are_classes():
    supported = registry.supported_classes()
    assert Dense in supported and Lambda not in supported
    assert all(isinstance(klass, type) for klass in supported)


def test_conv_lstm2d_port_spec_gives_the_carried_states_to_the_port():
    config.set_backend("tensorflow")
    model = Sequential([ConvLSTM2D(2, 3, 3, dim_ordering="tf", border_mode="same",
                                   stateful=True, batch_input_shape=(2, 3, 4, 4, 1))])
    layer = model.layers[0]
    _randomize(model)
    assert layer.port_spec() == {"states": None}
    before = model.to_torch().state_dict()
    assert not before["convlstm2d_1_h"].any() and not before["convlstm2d_1_c"].any()
    model.predict(np.random.rand(2, 3, 4, 4, 1).astype("float32"), batch_size=2)
    h, c = layer.port_spec()["states"]
    after = model.to_torch().state_dict()
    np.testing.assert_array_equal(after["convlstm2d_1_h"].numpy(), h.numpy())
    np.testing.assert_array_equal(after["convlstm2d_1_c"].numpy(), c.numpy())
    assert h.abs().sum() > 0
    layer.reset_states()
    assert layer.port_spec() == {"states": None}


def test_merge_dot_axes_for_is_public_and_resolves_negative_axes():
    assert Merge(mode="dot", dot_axes=-1).dot_axes_for((None, 3), (None, 4, 3)) == [1, 2]
    assert Merge(mode="dot", dot_axes=1).dot_axes_for((None, 3, 2), (None, 3, 5)) == [1, 1]
    assert Merge(mode="dot", dot_axes=(2, 1)).dot_axes_for((None, 3, 2), (None, 2)) == [2, 1]


def _private_reads(path):
    """``something._name`` attribute reads in a translator module (dunders aside)."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    return [(node.lineno, ast.unparse(node)) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_")
            and not node.attr.startswith("__")]


def test_translators_read_layers_only_through_public_attributes():
    folder = os.path.join(os.path.dirname(port.__file__), "translators")
    found = {name: _private_reads(os.path.join(folder, name))
             for name in sorted(os.listdir(folder)) if name.endswith(".py")}
    assert len(found) >= 10
    assert {name: reads for name, reads in found.items() if reads} == {}


def test_code_generation_reads_models_only_through_public_api():
    """generate.py walks a Container through ``execution_plan()`` and shapes through
    ``K.int_shape``, not through the engine's private state (its own ``self._`` aside)."""
    path = os.path.join(os.path.dirname(port.__file__), "generate.py")
    tree = ast.parse(open(path, encoding="utf-8").read())
    reads = [(node.lineno, ast.unparse(node)) for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)
             and node.attr.startswith("_") and not node.attr.startswith("__")
             and not (isinstance(node.value, ast.Name) and node.value.id == "self")]
    assert reads == []
