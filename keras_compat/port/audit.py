"""The shape every generated port must have, checked on its syntax tree before it is written
or compiled.

Names and other text from a model file reach the generated source only as sanitised
identifiers (``source.identifier``) and escaped comments (``source.comment_text``). This
check is the second line: whatever a translator wrote, the module must be a docstring, the
three torch imports and one ``nn.Module`` class whose methods call only torch, ``self`` and
a few builtins. Anything else (an import, a global, a dunder attribute, a name nobody
assigned, an unusual string constant) is refused before a line of it runs.
"""
import ast
import re

from keras_compat.port.source import PortError

_GLOBALS = frozenset({"torch", "nn", "F", "self", "super", "range", "reversed", "len", "tuple",
                      "list", "max", "min", "sum", "abs", "int", "float", "True", "False",
                      "None"})
_METHODS = frozenset({"__init__", "forward", "reset_states"})
# einsum equations, register_buffer names, pad modes: never free text
_STRING_CONSTANT = re.compile(r"\A[A-Za-z0-9_ ,.>-]*\Z")
_FORBIDDEN_NODES = (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.ClassDef,
                    ast.Lambda, ast.AsyncFunctionDef, ast.Await, ast.Yield, ast.YieldFrom,
                    ast.Delete, ast.With, ast.Try, ast.Raise, ast.NamedExpr)
_IMPORTS = ["import torch", "import torch.nn as nn", "import torch.nn.functional as F"]


def _refuse(why):
    raise PortError("generated source refused (%s): this is a keras_compat bug, please "
                    "report it with the model file" % why)


def checked_tree(source, class_name):
    """The parsed ``source`` after checking its shape; raises ``PortError`` when it is off."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        _refuse("it does not parse: %s" % exc)
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if [ast.unparse(node) for node in body[:3]] != _IMPORTS or len(body) != 4:
        _refuse("the module must hold the torch imports and one class")
    cls = body[3]
    if (not isinstance(cls, ast.ClassDef) or cls.name != class_name or cls.decorator_list
            or cls.keywords or [ast.unparse(b) for b in cls.bases] != ["nn.Module"]):
        _refuse("the module must define class %s(nn.Module)" % class_name)
    for method in cls.body:
        if isinstance(method, ast.Expr) and isinstance(method.value, ast.Constant):
            continue
        if (not isinstance(method, ast.FunctionDef) or method.name not in _METHODS
                or method.decorator_list):
            _refuse("unexpected class member %s" % ast.unparse(method)[:60])
        _check_method(method)
    return tree


def _check_method(method):
    known = set(_GLOBALS) | {a.arg for a in method.args.args}
    for node in ast.walk(method):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            known.add(node.id)
    docstring = method.body[0] if (method.body and isinstance(method.body[0], ast.Expr)) else None
    for node in ast.walk(method):
        if node is not method and isinstance(node, (ast.FunctionDef,) + _FORBIDDEN_NODES):
            _refuse("%s in %s()" % (type(node).__name__, method.name))
        if isinstance(node, ast.Name) and node.id not in known:
            _refuse("unknown name %r in %s()" % (node.id, method.name))
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not (
                node.attr == "__init__" and ast.unparse(node.value) == "super()"):
            _refuse("private attribute %r in %s()" % (node.attr, method.name))
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and not (docstring is not None and node is docstring.value)
                and not _STRING_CONSTANT.match(node.value)):
            _refuse("string constant %r in %s()" % (node.value[:40], method.name))


def compiled(source, class_name):
    """A code object for ``source`` compiled from its checked tree without the module
    docstring (the one place quoting the model's name), so no text of the file, only
    sanitised identifiers, reaches the compiler (comments never do)."""
    tree = checked_tree(source, class_name)
    if tree.body and isinstance(tree.body[0], ast.Expr):
        tree.body = tree.body[1:]
    return compile(tree, "<keras_compat port of %s>" % class_name, "exec")
