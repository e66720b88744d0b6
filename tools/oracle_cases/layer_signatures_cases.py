"""Constructor signatures of every layer class of ``keras.layers`` in REAL Keras 1.2.2
(run under the oracle):

    /work/shared/oracle/run_keras1.sh tools/oracle_cases/layer_signatures_cases.py

Writes tests/data/oracle/layer_signatures.json: per class, its ``__init__`` parameters in
order with their defaults (``repr``), and whether it takes ``**kwargs``.
"""
from __future__ import print_function

import inspect
import json
import os

import keras
from keras import layers
from keras.engine.topology import Layer

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle",
                   "layer_signatures.json")


def main():
    found = {}
    for name in sorted(dir(layers)):
        cls = getattr(layers, name)
        if not (inspect.isclass(cls) and issubclass(cls, Layer)):
            continue
        spec = inspect.getargspec(cls.__init__)
        defaults = spec.defaults or ()
        first_default = len(spec.args) - len(defaults)
        params = []
        for index, arg in enumerate(spec.args[1:], start=1):
            entry = {"name": arg}
            if index >= first_default:
                entry["default"] = repr(defaults[index - first_default])
            params.append(entry)
        found[name] = {"params": params, "varargs": spec.varargs, "kwargs": spec.keywords}
    with open(OUT, "w") as handle:
        json.dump({"keras": keras.__version__, "classes": found}, handle, indent=1,
                  sort_keys=True)
    print("wrote", len(found), "classes to", OUT)


if __name__ == "__main__":
    main()
