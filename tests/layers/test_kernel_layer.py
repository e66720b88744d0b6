"""keras_compat.layers.core.kernel_layer: the base of Dense, TimeDistributedDense, Highway and
MaxoutDense builds, re-initialises and lays out every weight from its kernel_weights()."""
import numpy as np
import pytest
import torch

from keras_compat import initializations
from keras_compat.layers import Dense, Highway, MaxoutDense, TimeDistributedDense
from keras_compat.layers.core.kernel_layer import TRANSPOSED, KernelLayer, kernel_weight

FAMILY = [
    (lambda **kw: Dense(3, input_dim=4, **kw), (2, 4), [(4, 3), (3,)]),
    (lambda **kw: TimeDistributedDense(3, input_dim=4, input_length=5, **kw), (2, 5, 4),
     [(4, 3), (3,)]),
    (lambda **kw: Highway(input_dim=4, **kw), (2, 4), [(4, 4), (4, 4), (4,), (4,)]),
    (lambda **kw: MaxoutDense(3, nb_feature=2, input_dim=4, **kw), (2, 4),
     [(2, 4, 3), (2, 3)]),
]


def _built(make, input_shape, **kwargs):
    layer = make(**kwargs)
    layer.build(input_shape)
    layer.built = True
    return layer


@pytest.mark.parametrize("make, input_shape, keras_shapes", FAMILY)
def test_weights_follow_the_declaration(make, input_shape, keras_shapes):
    layer = _built(make, input_shape)
    assert isinstance(layer, KernelLayer)
    assert [w.shape for w in layer.get_weights()] == keras_shapes
    without_bias = _built(make, input_shape, bias=False)
    kernels = [s for s, w in zip(keras_shapes, layer.kernel_weights(4)) if not w.is_bias]
    assert [w.shape for w in without_bias.get_weights()] == kernels
    assert all(getattr(without_bias, w.attr) is None
               for w in without_bias.kernel_weights(4) if w.is_bias)


@pytest.mark.parametrize("make, input_shape, keras_shapes", FAMILY)
def test_reset_parameters_redraws_in_build_order(make, input_shape, keras_shapes):
    torch.manual_seed(7)
    np.random.seed(7)
    layer = _built(make, input_shape)
    first = layer.get_weights()
    torch.manual_seed(7)
    np.random.seed(7)
    layer.reset_parameters()
    for before, after in zip(first, layer.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_highway_biases_start_at_zero_and_one():
    weights = _built(lambda: Highway(input_dim=3), (2, 3)).get_weights()
    np.testing.assert_array_equal(weights[2], np.zeros(3))
    np.testing.assert_array_equal(weights[3], np.ones(3))


def test_a_subclass_declares_only_its_weights():
    class Scale(KernelLayer):
        def __init__(self, output_dim, init="one", **kwargs):
            super().__init__(init, None, None, None, None, None, None, None, True, None,
                             **kwargs)
            self.output_dim = output_dim

        def kernel_weights(self, n_in):
            return [kernel_weight("W", "weight", (n_in, self.output_dim), self.init,
                                  TRANSPOSED),
                    kernel_weight("b", "bias", (self.output_dim,), initializations.zero,
                                  is_bias=True)]

        def call(self, x, mask=None):
            return torch.nn.functional.linear(x, self.weight, self.bias)

        def get_output_shape_for(self, input_shape):
            return input_shape[:-1] + (self.output_dim,)

    layer = Scale(2)
    layer.build((None, 3))
    assert tuple(layer.weight.shape) == (2, 3)
    assert [s.suffix for s in layer.weight_specs()] == ["W", "b"]
    np.testing.assert_array_equal(layer.weight_specs()[0].to_keras(layer.weight).detach(),
                                  np.ones((3, 2)))


def test_unknown_input_dimension_is_refused():
    with pytest.raises(ValueError, match="the last dimension of the input must be known"):
        Highway().build((None, None))
