"""Resolving a functional graph is one pass over its nodes and connections (issue 11).

Keras 1.2.2 (and keras_compat before) walked every path from the outputs back to the inputs,
so a stack of branch-and-merge blocks (InceptionV3: 221 layers) cost time exponential in the
number of blocks.  The layer order must stay Keras 1's (summary and weight order).
"""
import json
import time

import numpy as np

from keras_compat.layers import (Activation, BatchNormalization, Convolution2D, Dense, Dropout,
                                 Flatten, Input, MaxPooling2D, merge)
from keras_compat.models import Model


def _conv_bn(x, filters, rows, cols, name=None):
    x = Convolution2D(filters, rows, cols, border_mode="same", name=name)(x)
    x = BatchNormalization(axis=-1)(x)
    return Activation("relu")(x)


def _inception_blocks(blocks):
    """Blocks of four parallel branches merged by concat, as InceptionV3's mixed blocks."""
    image = Input(shape=(8, 8, 3))
    x = _conv_bn(image, 4, 3, 3)
    for _ in range(blocks):
        b1 = _conv_bn(x, 2, 1, 1)
        b2 = _conv_bn(_conv_bn(x, 2, 1, 1), 2, 3, 3)
        b3 = _conv_bn(_conv_bn(_conv_bn(x, 2, 1, 1), 2, 3, 3), 2, 3, 3)
        b4 = _conv_bn(MaxPooling2D((3, 3), strides=(1, 1), border_mode="same")(x), 2, 1, 1)
        x = merge([b1, b2, b3, b4], mode="concat", concat_axis=-1)
    return image, Dense(3)(Flatten()(x))


def _connections(model):
    """Nodes and inbound connections of the model's graph (what a linear pass may look at)."""
    nodes = [n for layer in model.layers for n in layer._inbound_nodes if id(n) in model._nodes]
    return len(nodes), sum(len(n.inbound_layers) for n in nodes)


def test_branch_and_merge_graph_of_200_layers_resolves_in_linear_work():
    image, output = _inception_blocks(10)
    start = time.perf_counter()
    model = Model(image, output)
    elapsed = time.perf_counter() - start
    assert len(model.layers) == 236
    nodes, connections = _connections(model)
    # Each connection is looked at once by the walk and once by the depth relaxation (the
    # old path-by-path walk looked at 4**10 paths here).
    assert model._graph_visits == 2 * connections
    assert nodes == 236
    assert elapsed < 3.0, "resolving 236 layers took %.1f s" % elapsed


def test_visits_grow_linearly_with_blocks():
    visits = []
    for blocks in (4, 8, 16):
        image, output = _inception_blocks(blocks)
        visits.append(Model(image, output)._graph_visits)
    # Each block adds the same number of connections: constant increments, not doubling.
    assert visits[1] - visits[0] == (visits[2] - visits[1]) // 2


def test_deep_graph_needs_no_recursion():
    x = start = Input(shape=(2,))
    for _ in range(1500):  # deeper than Python's default recursion limit
        x = Activation("linear")(x)
    model = Model(start, x)
    assert len(model.layers) == 1501
    np.testing.assert_allclose(model.predict(np.ones((1, 2), "float32")), [[1., 1.]])


def _inception_like_named(blocks):
    """The graph of tools/oracle_cases/model_attributes_cases.py::inception_like."""
    inp = Input(shape=(6, 6, 2), name="image")
    x = Convolution2D(2, 1, 1, name="stem")(inp)
    for i in range(blocks):
        b1 = Convolution2D(1, 1, 1, name="b%d_1x1" % i)(x)
        b2 = Convolution2D(1, 3, 3, border_mode="same", name="b%d_3x3" % i)(
            Convolution2D(1, 1, 1, name="b%d_3x3_reduce" % i)(x))
        b3 = Convolution2D(1, 3, 3, border_mode="same", name="b%d_5x5_b" % i)(
            Convolution2D(1, 3, 3, border_mode="same", name="b%d_5x5_a" % i)(
                Convolution2D(1, 1, 1, name="b%d_5x5_reduce" % i)(x)))
        b4 = Convolution2D(1, 1, 1, name="b%d_pool_proj" % i)(
            MaxPooling2D((3, 3), strides=(1, 1), border_mode="same", name="b%d_pool" % i)(x))
        x = merge([b1, b2, b3, b4], mode="concat", concat_axis=-1, name="b%d_concat" % i)
    return Model(inp, x, name="inception_like")


def _shared_layer_graph():
    a = Input(shape=(5,), name="sa")
    b = Input(shape=(5,), name="sb")
    shared = Dense(5, name="shared")
    x = shared(a)
    y = shared(Dense(5, name="pre_b")(b))
    z = merge([x, y, Dropout(0.5, name="sdrop")(b)], mode="sum", name="ssum")
    o1 = Dense(2, name="so1")(z)
    o2 = Dense(3, name="so2")(merge([z, x], mode="concat", name="scat"))
    return Model([a, b], [o1, o2, x], name="shared_graph")


def test_layer_order_is_keras1_order(data_path):
    with open(data_path("models", "model_attributes_keras1.json")) as handle:
        expected = json.load(handle)["layer_order"]
    assert [l.name for l in _inception_like_named(3).layers] == expected["inception_like"]
    assert [l.name for l in _shared_layer_graph().layers] == expected["shared_graph"]


def test_cycle_free_disconnected_graph_still_reported():
    a = Input(shape=(3,))
    b = Input(shape=(3,))
    out = merge([Dense(2)(a), Dense(2)(b)], mode="sum")
    try:
        Model(a, out)
    except ValueError as exc:
        assert "Graph disconnected" in str(exc)
    else:
        raise AssertionError("a graph missing an input must be refused")
