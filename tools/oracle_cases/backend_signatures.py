"""Every public function of keras.backend in REAL Keras 1.2.2 with its signature, per backend:

    KERAS1_BACKEND=theano /work/shared/oracle/run_keras1.sh tools/oracle_cases/backend_signatures.py
    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh tools/oracle_cases/backend_signatures.py

Writes tests/data/oracle/backend/signatures_<backend>.json: {name: {"args": [...],
"defaults": [repr, ...], "varargs": ..., "keywords": ...}}.
"""
from __future__ import print_function

import inspect
import json
import os

from keras import backend as K

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, os.pardir, os.pardir, "tests", "data", "oracle", "backend")


def main():
    table = {}
    for name in sorted(dir(K)):
        obj = getattr(K, name)
        if name.startswith("_") or not inspect.isfunction(obj):
            continue
        spec = inspect.getargspec(obj)
        table[name] = {"args": spec.args, "defaults": [repr(d) for d in (spec.defaults or ())],
                       "varargs": spec.varargs, "keywords": spec.keywords}
    path = os.path.join(OUT, "signatures_%s.json" % K.backend())
    with open(path, "w") as handle:
        json.dump(table, handle, indent=1, sort_keys=True)
    print("wrote", path, len(table))


if __name__ == "__main__":
    main()
