"""Keras 1.2.2 model attributes read by 2016 code, for Sequential and functional Model.

Run under the oracle: /work/shared/oracle/run_keras1.sh tools/oracle_cases/model_attributes_cases.py OUT.json
Writes one JSON document: for each model and stage (built / compiled), every attribute's kind,
length, and the names of the layers/tensors/metrics it lists; plus the layer order Keras 1 gives
a branch-and-merge graph and a graph with a shared layer.
"""
import json
import sys

from keras import backend as K
from keras.layers import Dense, Dropout, Input, LSTM, merge, Convolution2D, MaxPooling2D
from keras.models import Model, Sequential
from keras.regularizers import l2
from keras.constraints import maxnorm


def kind(value):
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (list, tuple)):
        return type(value).__name__
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, str):
        return "str"
    if hasattr(value, "_keras_history"):
        return "keras_tensor"
    if isinstance(value, Model):
        return "Model:" + type(value).__name__
    if hasattr(value, "get_config") and hasattr(value, "name") and hasattr(value, "inbound_nodes"):
        return "Layer:" + type(value).__name__
    if K.is_keras_tensor(value) if hasattr(K, "is_keras_tensor") else False:
        return "keras_tensor"
    return "backend:" + type(value).__name__


def describe_item(item):
    if isinstance(item, str):
        return item
    if hasattr(item, "_keras_history"):
        layer, node_index, tensor_index = item._keras_history
        return "tensor:%s[%d][%d]" % (layer.name, node_index, tensor_index)
    if hasattr(item, "inbound_nodes"):
        return "layer:%s" % item.name
    if isinstance(item, tuple):
        return "tuple:" + ",".join(describe_item(i) for i in item)
    name = getattr(item, "name", None)
    return "%s:%s" % (type(item).__name__, name)


ATTRIBUTES = ["metrics", "metrics_names", "inputs", "outputs", "input", "output", "input_names",
              "output_names", "input_layers", "output_layers", "flattened_layers", "layers",
              "total_loss", "uses_learning_phase", "stateful", "state_updates", "updates", "losses",
              "regularizers", "constraints", "model", "trainable_weights", "non_trainable_weights"]


def describe(model):
    out = {}
    for attribute in ATTRIBUTES:
        try:
            value = getattr(model, attribute)
        except Exception as exc:  # noqa: BLE001 -- the error is the fact recorded
            out[attribute] = {"error": type(exc).__name__}
            continue
        entry = {"kind": kind(value)}
        if isinstance(value, (list, tuple)):
            entry["items"] = [describe_item(v) for v in value]
        elif isinstance(value, dict):
            entry["keys"] = sorted(describe_item(k) for k in value)
        elif isinstance(value, (bool, str)):
            entry["value"] = value
        elif entry["kind"] == "keras_tensor":
            entry["value"] = describe_item(value)
        elif isinstance(value, Model):
            entry["value"] = value.name
            entry["layers"] = [l.name for l in value.layers]
        out[attribute] = entry
    return out


def sequential(stateful=False):
    model = Sequential(name="seq")
    if stateful:
        model.add(LSTM(3, batch_input_shape=(2, 4, 3), stateful=True, name="lstm"))
    else:
        model.add(Dense(4, input_dim=3, name="d1", W_constraint=maxnorm(2)))
    model.add(Dropout(0.5, name="drop"))
    model.add(Dense(2, activation="softmax", W_regularizer=l2(0.01), name="d2"))
    return model


def functional():
    a = Input(shape=(3,), name="in_a")
    b = Input(shape=(5,), name="in_b")
    h = merge([Dense(4, name="da", W_constraint=maxnorm(2))(a), Dense(4, name="db")(b)],
              mode="concat", name="cat")
    h = Dropout(0.5, name="drop")(h)
    o1 = Dense(2, activation="softmax", W_regularizer=l2(0.01), name="out1")(h)
    o2 = Dense(1, name="out2")(h)
    return Model(input=[a, b], output=[o1, o2], name="fun")


def inception_like(blocks):
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


def shared_layer_graph():
    a = Input(shape=(5,), name="sa")
    b = Input(shape=(5,), name="sb")
    shared = Dense(5, name="shared")
    x = shared(a)
    y = shared(Dense(5, name="pre_b")(b))
    z = merge([x, y, Dropout(0.5, name="sdrop")(b)], mode="sum", name="ssum")
    o1 = Dense(2, name="so1")(z)
    o2 = Dense(3, name="so2")(merge([z, x], mode="concat", name="scat"))
    return Model([a, b], [o1, o2, x], name="shared_graph")


def main(path):
    result = {}
    seq = sequential()
    result["sequential_built"] = describe(seq)
    seq.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    result["sequential_compiled"] = describe(seq)
    result["sequential_compiled"]["model.metrics_names"] = seq.model.metrics_names
    stateful = sequential(stateful=True)
    stateful.compile(loss="categorical_crossentropy", optimizer="sgd")
    result["sequential_stateful_compiled"] = describe(stateful)
    fun = functional()
    result["model_built"] = describe(fun)
    fun.compile(loss=["categorical_crossentropy", "mse"], optimizer="sgd",
                metrics=["accuracy", "mae"])
    result["model_compiled"] = describe(fun)
    result["layer_order"] = {
        "inception_like": [l.name for l in inception_like(3).layers],
        "shared_graph": [l.name for l in shared_layer_graph().layers],
    }
    with open(path, "w") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
