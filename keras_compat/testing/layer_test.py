"""The generic layer harness (Keras 1's ``test_utils.layer_test``, extended).

Pytest-free, plain asserts, so users can check their own layers too.  For one layer
configuration it checks, in order: construction with the given (Keras-1) kwargs;
the inferred output shape against the real output; ``get_weights``/``set_weights`` and
the ``weights=`` argument; the parameter count; the config round trip through JSON;
the model round trip through ``to_json``/``model_from_json``; ``.pt`` save and load;
and one training step when the layer has trainable weights: the loss is finite and the
weights that the step's gradient reaches move.
"""
import json
import os
import tempfile

import numpy as np

from keras_compat.backend import naming
from keras_compat.models import Sequential, model_from_json


def _random_input(input_shape, input_dtype):
    shape = tuple(d if d is not None else 3 for d in input_shape)
    if input_dtype.startswith("int"):
        return np.random.randint(0, 4, size=shape).astype(input_dtype)
    return (np.random.random(shape) * 2 - 1).astype(input_dtype)


def layer_test(layer_cls, kwargs=None, input_shape=None, input_dtype="float32", input_data=None,
               expected_output=None, expected_output_shape=None, expected_params=None,
               check_training=True, atol=1e-6, require_learning=True):
    """Run the harness on ``layer_cls(**kwargs)``; returns the layer's output on the data.

    ``require_learning=False`` accepts a training step that moves no weight, where the data may
    legitimately reach none (Keras 1's own layer tests feed only positive inputs, so a PReLU
    slope gets no gradient); a weight with a visible step must still move."""
    kwargs = dict(kwargs or {})
    if input_data is None:
        assert input_shape is not None, "give input_shape or input_data"
        input_data = _random_input(input_shape, input_dtype)
    input_data = np.asarray(input_data)
    batch_shape = (None,) + tuple(input_data.shape[1:])

    layer = layer_cls(batch_input_shape=batch_shape, input_dtype=input_dtype, **kwargs)
    model = Sequential([layer])
    inferred = layer.output_shape
    output = model.predict(input_data, batch_size=len(input_data))
    assert len(inferred) == output.ndim, (inferred, output.shape)
    for want, got in zip(inferred[1:], output.shape[1:]):
        assert want is None or want == got, "inferred %s, actual %s" % (inferred, output.shape)
    if expected_output_shape is not None:
        for want, got in zip(expected_output_shape, inferred):
            assert want is None or want == got, (expected_output_shape, inferred)
    if expected_output is not None:
        np.testing.assert_allclose(output, expected_output, rtol=1e-5, atol=atol)

    weights = layer.get_weights()
    layer.set_weights(weights)
    for before, after in zip(weights, layer.get_weights()):
        np.testing.assert_array_equal(before, after)
    if expected_params is not None:
        assert layer.count_params() == expected_params, (layer.count_params(), expected_params)

    if weights:
        again = layer_cls(batch_input_shape=batch_shape, input_dtype=input_dtype,
                          weights=weights, **kwargs)
        np.testing.assert_allclose(Sequential([again]).predict(input_data, batch_size=len(input_data)),
                                   output, rtol=1e-6, atol=1e-6)

    config = layer.get_config()
    restored = layer_cls.from_config(json.loads(json.dumps(config)))
    assert json.loads(json.dumps(restored.get_config())) == json.loads(json.dumps(config)), \
        (restored.get_config(), config)

    naming.reset_uids()
    rebuilt = model_from_json(model.to_json(), custom_objects={layer_cls.__name__: layer_cls})
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(input_data, batch_size=len(input_data)), output,
                               rtol=1e-6, atol=1e-6)

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "weights.pt")
        model.save_weights(path)
        rebuilt.load_weights(path)
        for before, after in zip(model.get_weights(), rebuilt.get_weights()):
            np.testing.assert_array_equal(before, after)

    if check_training and layer.trainable_weights and output.dtype.kind == "f":
        _check_training_step(model, layer, input_data, output, require_learning)
    return output


_LEARNING_RATE = 0.01  # Keras 1's SGD default


def _check_training_step(model, layer, input_data, output, require_learning=True):
    """One plain SGD step on mean squared error towards ``output + 1``.

    That target makes d(loss)/d(output) non-zero everywhere, so every trainable weight the
    output depends on at this input gets a gradient. A weight moves by ``lr * grad`` exactly
    (no momentum); where that step is too small for float32 to show, or the batch does not
    reach the weight at all (an Embedding row never looked up, a PReLU slope of an input that
    is never negative), the weight may stay, so only weights with a visible step must move.
    """
    model.compile(optimizer="sgd", loss="mse")
    params = list(layer.trainable_weights)
    before = [p.detach().clone() for p in params]
    loss = model.train_on_batch(input_data, output + 1)
    assert np.all(np.isfinite(loss)), "%s: training loss is not finite: %r" % (layer.name, loss)
    moved = 0
    for param, old in zip(params, before):
        if param.grad is None:
            continue
        visible = _LEARNING_RATE * param.grad.abs() > 1e-5 * (1 + old.abs())
        if not bool(visible.any()):
            continue
        changed = param.detach() != old
        assert bool(changed[visible].any()), \
            "%s: weight of shape %s got a gradient but did not move" % (layer.name, tuple(old.shape))
        moved += 1
    assert moved or not require_learning, \
        "%s: no trainable weight got a gradient from a training step" % layer.name
