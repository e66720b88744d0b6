"""The import-direction contract: imports go one way, lowest level first, and never in a circle.

``LEVELS`` is the one ordered list of levels (README "How the code is layered"); a module may
import only modules of its own level or of a lower one. Every ``import`` statement of every
module under keras_compat/ counts, absolute or relative, at module level or inside a function.
A module's level is that of the longest prefix naming it, so a Keras-1 facade module inside a
lower package (``keras_compat.engine.topology`` re-exports ``Merge`` from the layers) is placed
with the facades.
"""
import ast
import os
import subprocess
import sys

import pytest

import keras_compat

ROOT = os.path.dirname(keras_compat.__file__)
PACKAGE = "keras_compat"

# Lowest first. Each entry is a module or package prefix below keras_compat.
LEVELS = [
    ["backend"],
    ["_args"],
    ["activations", "initializations", "regularizers", "constraints", "objectives", "metrics",
     "_registry"],
    ["engine"],
    ["layers"],
    ["optimizers"],
    ["training"],
    ["saving"],
    ["port"],
    ["models"],
    # The facade modules of Keras-1 paths (they re-export from every level below).
    ["utils", "engine.topology", "engine.training"],
    ["applications", "datasets", "preprocessing", "wrappers", "callbacks", "testing",
     "utils.test_utils"],
    ["_importer", "_runner", "__main__", "_legacy_numpy", "_malloc"],
]

# Upward edges not fixed yet: (importing module, imported module) -> why. The test below fails
# when an entry no longer occurs, so the list can only shrink.
KNOWN_UPWARD_EDGES = {}

# Edges banned outright, although the level order alone would allow some of them (training
# and optimizers sit above layers but must not depend on layer classes).
HARD_BANS = [
    ("layers", "training"),
    ("layers", "models"),
    ("layers", "saving"),
    ("layers", "h5py"),
    ("engine", "training"),
    ("engine.layer", "optimizers"),
    ("training", "layers"),
    ("training", "models"),
    ("backend.config", "layers"),
    ("backend.config", "engine"),
    ("backend.naming", "engine"),
    ("optimizers", "layers"),
    ("optimizers", "training"),
    ("objectives", "layers"),
    ("metrics", "layers"),
]


def _short(module):
    return module[len(PACKAGE) + 1:] if module.startswith(PACKAGE + ".") else module


def _under(name, prefix):
    return name == prefix or name.startswith(prefix + ".")


def _level(module):
    """(level index, prefix) of the longest prefix naming ``module`` (short form)."""
    found = None
    for index, prefixes in enumerate(LEVELS):
        for prefix in prefixes:
            if _under(module, prefix) and (found is None or len(prefix) > len(found[1])):
                found = (index, prefix)
    return found


def _modules():
    """{short module name: (path, is_package)} for every module of the package."""
    modules = {}
    for folder, _, files in os.walk(ROOT):
        for filename in files:
            if not filename.endswith(".py"):
                continue
            path = os.path.join(folder, filename)
            parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            modules[".".join(parts)] = (path, is_package)
    return modules


MODULES = _modules()


def _statements(module):
    """(absolute imported name, line) for every import statement of ``module``; a name may be
    a module or an attribute of one (``from x import y``), and may be outside the package."""
    path, is_package = MODULES[module]
    return _statements_in(open(path, encoding="utf-8").read(), module, is_package, path)


def _statements_in(source, module, is_package, filename="<source>"):
    package = (PACKAGE + "." + module if module else PACKAGE).split(".")
    if not is_package:
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                source_module = ".".join(base + ([node.module] if node.module else []))
            else:
                source_module = node.module
            found.extend((source_module + "." + alias.name, node.lineno) for alias in node.names)
    return found


def _resolve(name):
    """The keras_compat module an imported name loads (short form), or None when outside."""
    if not _under(name, PACKAGE):
        return None
    short = _short(name)
    while short not in MODULES and "." in short:
        short = short.rsplit(".", 1)[0]
    return short if short in MODULES else None


def _edges():
    """{(importer, imported): first line} between keras_compat modules. Importing
    ``a.b.c`` also runs the package ``a.b``'s ``__init__``, except when the importer is inside
    that package already (it is then running)."""
    edges = {}
    for module in MODULES:
        for name, line in _statements(module):
            target = _resolve(name)
            if target is None:
                continue
            parts = target.split(".")
            targets = [target] + [".".join(parts[:i]) for i in range(1, len(parts))]
            for imported in targets:
                if imported in ("", module) or _under(module, imported):
                    continue
                edges.setdefault((module, imported), line)
    return edges


EDGES = _edges()


def test_every_module_has_a_level():
    assert [m for m in MODULES if m and _level(m) is None] == []


def _upward_edges():
    upward = {}
    for (module, imported), line in EDGES.items():
        if module == "":  # keras_compat/__init__.py: only the import hook, see below
            continue
        if _level(imported)[0] > _level(module)[0]:
            upward[(module, imported)] = line
    return upward


def test_imports_go_one_way():
    problems = ["keras_compat/%s imports keras_compat.%s (line %d): level %r is above %r"
                % (MODULES[module][0][len(ROOT) + 1:], imported, line, _level(imported)[1],
                   _level(module)[1])
                for (module, imported), line in sorted(_upward_edges().items())
                if (module, imported) not in KNOWN_UPWARD_EDGES]
    assert not problems, "\n".join(problems)


def test_known_upward_edges_still_occur():
    """An allowlisted edge that was fixed must leave the list (it only shrinks)."""
    gone = sorted(set(KNOWN_UPWARD_EDGES) - set(_upward_edges()))
    assert gone == [], "fixed: remove from KNOWN_UPWARD_EDGES: %s" % (gone,)


def _cycles(edges):
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    graph = {}
    for module, imported in edges:
        graph.setdefault(module, set()).add(imported)
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _shortest_cycle(component, edges):
    """One shortest import path from the component's first module back to itself."""
    members = set(component)
    graph = {}
    for module, imported in edges:
        if module in members and imported in members:
            graph.setdefault(module, []).append(imported)
    start = component[0]
    paths = [[start]]
    seen = set()
    while paths:
        path = paths.pop(0)
        for imported in sorted(graph.get(path[-1], ())):
            if imported == start:
                return path + [start]
            if imported not in seen:
                seen.add(imported)
                paths.append(path + [imported])
    return component


def test_no_import_cycle():
    edges = [edge for edge in EDGES if edge not in KNOWN_UPWARD_EDGES and edge[0] != ""]
    cycles = ["%d modules import each other, e.g. %s" % (len(component), " -> ".join(
        MODULES[m][0][len(ROOT) + 1:] for m in _shortest_cycle(component, edges)))
        for component in _cycles(edges)]
    assert not cycles, "\n".join(cycles)


def test_the_cycle_finder_finds_cycles():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "d"), ("f", "a")]
    assert sorted(_cycles(edges)) == [["a", "b", "c"], ["d", "e"]]


def test_relative_and_function_level_imports_are_read():
    source = ("from . import dense\n"
              "from ..recurrent import lstm\n"
              "def build():\n"
              "    from ...engine.layer import Layer\n"
              "    import keras_compat.saving.model_io\n")
    names = [name for name, _ in _statements_in(source, "layers.core.flatten", False)]
    assert names == ["keras_compat.layers.core.dense", "keras_compat.layers.recurrent.lstm",
                     "keras_compat.engine.layer.Layer", "keras_compat.saving.model_io"]
    in_package = _statements_in("from .core import Dense\n", "layers", True)
    assert in_package == [("keras_compat.layers.core.Dense", 1)]
    assert [_resolve(name) for name in names] == ["layers.core.dense", "layers.recurrent.lstm",
                                                  "engine.layer", "saving.model_io"]
    assert _resolve("numpy.linalg") is None


def test_the_package_root_imports_only_the_import_hook():
    assert sorted(imported for (module, imported) in EDGES if module == "") == ["_importer"]


@pytest.mark.parametrize("owner,banned", HARD_BANS)
def test_hard_bans(owner, banned):
    offenders = []
    for module in MODULES:
        if not _under(module, owner):
            continue
        for name, line in _statements(module):
            target = _short(name) if _under(name, PACKAGE) else name
            if _under(target, banned):
                offenders.append("keras_compat/%s:%d imports %s"
                                 % (MODULES[module][0][len(ROOT) + 1:], line, name))
    assert offenders == []


def test_importing_the_package_has_no_side_effects():
    code = ("import sys; before = list(sys.meta_path); import keras_compat; "
            "assert sys.meta_path == before; assert 'torch' not in sys.modules; "
            "assert 'keras' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
