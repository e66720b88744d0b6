"""The import-direction contract: layers never import the training engine, and so on.

An AST walk over keras_compat/**/*.py with a small table of forbidden edges.
"""
import ast
import os

import pytest

import keras_compat

ROOT = os.path.dirname(keras_compat.__file__)

# (importing package prefix, forbidden imported prefix)
FORBIDDEN = [
    ("keras_compat.layers", "keras_compat.training"),
    ("keras_compat.layers", "keras_compat.models"),
    ("keras_compat.layers", "keras_compat.saving"),
    ("keras_compat.layers", "h5py"),
    ("keras_compat.engine", "keras_compat.training"),
    ("keras_compat.engine.layer", "keras_compat.optimizers"),
    ("keras_compat.training", "keras_compat.layers"),
    ("keras_compat.training", "keras_compat.models"),
    ("keras_compat.backend.config", "keras_compat.layers"),
    ("keras_compat.backend.config", "keras_compat.engine"),
    ("keras_compat.backend.naming", "keras_compat.engine"),
    ("keras_compat.optimizers", "keras_compat.layers"),
    ("keras_compat.optimizers", "keras_compat.training"),
    ("keras_compat.objectives", "keras_compat.layers"),
    ("keras_compat.metrics", "keras_compat.layers"),
    # code generation sits above saving and below models: model.to_torch() calls down into it
    ("keras_compat.port", "keras_compat.models"),
    ("keras_compat.saving", "keras_compat.port"),
    ("keras_compat.layers", "keras_compat.port"),
    ("keras_compat.engine", "keras_compat.port"),
]


def _modules():
    for folder, _, files in os.walk(ROOT):
        for filename in files:
            if filename.endswith(".py"):
                path = os.path.join(folder, filename)
                relative = os.path.relpath(path, os.path.dirname(ROOT))[:-3].replace(os.sep, ".")
                if relative.endswith(".__init__"):
                    relative = relative[: -len(".__init__")]
                yield relative, path


def _imports(path):
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            for alias in node.names:
                yield node.module + "." + alias.name


def _under(name, prefix):
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("module,path", sorted(_modules()))
def test_no_forbidden_import(module, path):
    for imported in _imports(path):
        for owner, banned in FORBIDDEN:
            assert not (_under(module, owner) and _under(imported, banned)), \
                "%s imports %s (forbidden: %s -> %s)" % (module, imported, owner, banned)


def test_importing_the_package_has_no_side_effects():
    import subprocess
    import sys
    code = ("import sys; before = list(sys.meta_path); import keras_compat; "
            "assert sys.meta_path == before; assert 'torch' not in sys.modules; "
            "assert 'keras' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
