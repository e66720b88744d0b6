"""Reference data committed under tests/data: the one way tests find and load it.

``oracle(case, backend)`` reads an oracle case (arrays that real Keras 1.2.2 produced,
tests/data/oracle/<backend>/<case>.npz, with the inputs it was given in
tests/data/oracle/inputs/<case>.npz); ``data_path(*parts)`` names any other file under
tests/data. The data is committed, so a missing file fails the test that needs it: a
renamed case must not turn into a skip. ``tests/conftest.py`` offers both as fixtures;
modules that build parameter tables at collection time import them from here.
"""
import json
import os

import numpy as np
import pytest

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
BACKENDS = ("theano", "tensorflow")


def data_path(*parts):
    """The path of ``tests/data/<parts...>``; fails the test when the file is not there."""
    path = os.path.join(DATA, *parts)
    if not os.path.exists(path):
        pytest.fail("reference data %s is missing (tests/data is committed; was a case renamed?)"
                    % os.path.relpath(path, os.path.dirname(DATA)), pytrace=False)
    return path


def load_json(*parts):
    """The JSON document at ``tests/data/<parts...>``."""
    with open(data_path(*parts)) as handle:
        return json.load(handle)


def load_npz(*parts):
    """The arrays of ``tests/data/<parts...>`` as a plain dict (the file is closed again)."""
    with np.load(data_path(*parts)) as archive:
        return {name: archive[name] for name in archive.files}


class OracleCase:
    """One oracle case: what Keras 1.2.2 was given (``inputs``) and what it returned (``outputs``).

    ``x``/``y`` are the common single-input, single-output arrays; ``xs``/``weights`` the
    ``x_*``/``w_*`` inputs in order; ``meta`` the JSON that the generator stored beside them.
    ``case["name"]`` reads an output array.
    """

    def __init__(self, case, backend):
        self.case = case
        self.backend = backend
        self._inputs = None
        self._outputs = None

    @property
    def outputs(self):
        if self._outputs is None:
            self._outputs = load_npz("oracle", self.backend, self.case + ".npz")
        return self._outputs

    @property
    def inputs(self):
        if self._inputs is None:
            self._inputs = load_npz("oracle", "inputs", self.case + ".npz")
        return self._inputs

    def _numbered(self, prefix):
        return [self.inputs[name] for name in sorted(self.inputs) if name.startswith(prefix)]

    @property
    def xs(self):
        return self._numbered("x_")

    @property
    def weights(self):
        return self._numbered("w_")

    @property
    def x(self):
        return self.inputs["x_0"]

    @property
    def y(self):
        return self.outputs["y"]

    @property
    def meta(self):
        return json.loads(str(self.outputs["meta"]))

    @property
    def files(self):
        """The names of the output arrays (as ``np.load(...).files`` lists them)."""
        return sorted(self.outputs)

    def __getitem__(self, name):
        return self.outputs[name]

    def __contains__(self, name):
        return name in self.outputs

    def __repr__(self):
        return "OracleCase(%r, %r)" % (self.case, self.backend)


def oracle(case, backend="theano"):
    """The oracle case ``case`` as Keras 1.2.2 computed it under ``backend``."""
    if backend not in BACKENDS:
        raise ValueError("backend must be one of %s, not %r" % (BACKENDS, backend))
    return OracleCase(case, backend)


def oracle_cases(folder="theano", prefix=""):
    """The oracle cases stored in ``folder`` (a backend, or ``inputs``) whose names start with ``prefix``."""
    folder = data_path("oracle", folder)
    return sorted(name[:-4] for name in os.listdir(folder)
                  if name.endswith(".npz") and name.startswith(prefix))
