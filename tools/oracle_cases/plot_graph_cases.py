"""The graph Keras 1.2.2's ``plot()``/``model_to_dot`` drew for functional models, recorded
from REAL Keras 1.2.2 (run under the oracle):

    /work/shared/oracle/run_keras1.sh tools/oracle_cases/plot_graph_cases.py

pydot is not installed in the oracle, so the script walks the model exactly as Keras 1.2.2's
``model_to_dot`` did (one record per layer of ``model.layers`` labelled ``name: ClassName``
with ``str(layer.input_shape)``/``str(layer.output_shape)`` or ``'multiple'``; one edge per
inbound layer of every inbound node listed in ``model.container_nodes``) and writes
tests/data/oracle/plot_graphs.json: per model, the labels and the edges by layer name.
"""
from __future__ import print_function

import json
import os

import keras
from keras.layers import Dense, Input, merge
from keras.models import Model, Sequential

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle", "plot_graphs.json")


def shape_text(layer, attr):
    try:
        shape = getattr(layer, attr)
    except AttributeError:
        return "multiple"
    if attr == "input_shape" and isinstance(shape, list):
        return ", ".join(str(s) for s in shape)
    return str(shape)


def graph(model):
    if isinstance(model, Sequential):
        if not model.built:
            model.build()
        model = model.model
    nodes = [{"name": layer.name, "class_name": layer.__class__.__name__,
              "input": shape_text(layer, "input_shape"),
              "output": shape_text(layer, "output_shape")} for layer in model.layers]
    edges = []
    for layer in model.layers:
        for i, node in enumerate(layer.inbound_nodes):
            if layer.name + "_ib-" + str(i) in model.container_nodes:
                edges.extend([inbound.name, layer.name] for inbound in node.inbound_layers)
    return {"nodes": nodes, "edges": edges}


def two_inputs_shared_nested():
    a, b = Input((4,), name="a"), Input((4,), name="b")
    shared = Dense(3, name="shared")
    m = merge([shared(a), shared(b)], mode="concat", name="m")
    inner_in = Input((6,), name="inner_in")
    inner = Model(inner_in, Dense(2, name="inner_dense")(inner_in), name="inner")
    return Model([a, b], [inner(m), m])


def shared_with_different_shapes():
    a, b = Input((4,), name="a"), Input((3, 4), name="b")
    shared = Dense(5, name="shared")
    return Model([a, b], [shared(a), shared(b)])


def sequential_in_functional():
    seq = Sequential([Dense(3, input_shape=(4,), name="s_dense")], name="seq")
    x = Input((4,), name="x")
    y = seq(x)
    return Model(x, Dense(2, name="head")(merge([y, y], mode="sum", name="twice")))


def sequential_chain():
    return Sequential([Dense(3, input_shape=(4,), name="d1"), Dense(2, name="d2")])


def main():
    cases = {fn.__name__: graph(fn()) for fn in (two_inputs_shared_nested,
                                                 shared_with_different_shapes,
                                                 sequential_in_functional, sequential_chain)}
    with open(OUT, "w") as handle:
        json.dump({"keras": keras.__version__, "cases": cases}, handle, indent=1, sort_keys=True)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
