"""Shared helpers for the keras.applications tests (imported by name: pytest puts this folder
on sys.path): the oracle data, model building, configuration."""
import contextlib
import importlib
import io
import json


from keras_compat.backend import config

import reference_data

def data_path(*parts):
    """A committed file under tests/data/applications (missing: a test failure)."""
    return reference_data.data_path("applications", *parts)


def behaviour(backend, ordering):
    """What real Keras 1.2.2 did for each case under ``backend`` and ``ordering``."""
    with open(data_path("behaviour_%s_%s.json" % (backend, ordering))) as handle:
        return json.load(handle)


def application(module, function):
    return getattr(importlib.import_module("keras_compat.applications." + module), function)


def summary_text(model):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.summary()
    return out.getvalue()


def configure(backend="tensorflow", ordering="tf"):
    """Emulate ``backend`` in ``ordering`` (the suite's autouse fixture resets both)."""
    config.set_backend(backend)
    config.set_image_dim_ordering(ordering)
