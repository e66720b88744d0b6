"""Hostile names in a model file cannot change the syntax of the generated port, and porting
them runs nothing: every payload would create the file ``pwned`` in the working directory."""
import ast

import numpy as np
import pytest
import torch

from keras_compat import _runner, port
from keras_compat.layers import Dense
from keras_compat.models import Sequential
from keras_compat.port.source import PortError, comment_text, identifier

# Each would write ./pwned if it escaped its docstring, comment, string or identifier.
PAYLOADS = [
    'x""";open("pwned","w");"""',  # ran on to_torch() before the fix (model name)
    "a\n        open('pwned', 'w')  #",  # ran on forward() before the fix (layer name)
    "a\r        open('pwned', 'w')  #",
    'x"""\nopen("pwned", "w")\n"""',
    "x'''\nopen('pwned', 'w')\n'''",
    "a\nopen('pwned', 'w')  #",
    "a\ropen('pwned', 'w')  #",
    "a\r\nopen('pwned', 'w')  #",
    "a\u2028open('pwned', 'w')  #",
    "x\\",
    'x\\"""\nopen("pwned", "w")\n#',
    "__import__('os').system('touch pwned')",
    "); open('pwned', 'w'); (",
    "é\x00\x0b\x0c\x1b[31m 名前",
    "__class__", "__init__", "eval", "forward", "training", "state_dict", "_x", "1st",
]


def _model(names, model_name):
    model = Sequential([Dense(3, input_dim=2, activation="tanh"), Dense(2)], name="m")
    for layer, name in zip(model.layers, names):
        layer.name = name  # names are free text in Keras 1; set past any constructor check
    model.name = model_name
    return model


def _shape(tree):
    """The syntax tree with every name and string reduced to its node type."""
    return [type(node).__name__ for node in ast.walk(tree)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_leave_the_port_syntax_unchanged(payload, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    benign = _model(["first", "second"], "plain")
    hostile = _model([payload, payload + "2"], payload)
    hostile.set_weights(benign.get_weights())
    plain_source, _ = port.generate_source(benign)
    source, state = port.generate_source(hostile)
    assert _shape(ast.parse(source)) == _shape(ast.parse(plain_source))
    docstring = ast.get_docstring(ast.parse(source))
    assert docstring.startswith("PyTorch port of the Keras-1 model '")
    ported = hostile.to_torch()
    x = np.random.RandomState(0).rand(4, 2).astype("float32")
    with torch.no_grad():
        got = ported(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, hostile.predict(x), atol=1e-6, rtol=0)
    assert sorted(ported.state_dict()) == sorted(state)
    assert not (tmp_path / "pwned").exists()


def test_hostile_names_in_an_h5_file_port_without_running(tmp_path, monkeypatch):
    pytest.importorskip("h5py")
    monkeypatch.chdir(tmp_path)
    hostile = _model(['a"""\nopen("pwned", "w")\n"""', "b\nopen('pwned', 'w')  #"],
                     "m'''\nopen('pwned', 'w')\n'''")
    hostile.save(str(tmp_path / "evil.h5"))
    out = str(tmp_path / "ported.py")
    assert _runner.main(["port", str(tmp_path / "evil.h5"), "--out", out]) == 0
    assert not (tmp_path / "pwned").exists()
    tree = ast.parse(open(out).read())
    assert [type(node).__name__ for node in tree.body] == ["Expr", "Import", "Import", "Import",
                                                          "ClassDef"]


def test_identifiers_are_ascii_unique_and_never_private():
    taken = set()
    names = [identifier(n, taken) for n in ["ﬁlter", "filter", "__class__", "_x", "1a", "a b",
                                            "a-b", "", "名前"]]
    assert names == ["layer__lter", "filter", "layer___class__", "layer__x", "layer_1a", "a_b",
                     "a_b_", "layer_", "layer___"]
    assert all(n.isascii() and n.isidentifier() and not n.startswith("_") for n in names)


def test_comment_text_has_no_line_break_or_double_quote():
    text = comment_text('a\nb\r"""\\\u2028é')
    assert text == 'a\\nb\\r\\x22\\x22\\x22\\\\\\u2028\\xe9'
    assert ast.literal_eval('"""%s"""' % text) == 'a\nb\r"""\\\u2028é'


def test_class_name_must_be_an_identifier():
    model = _model(["a", "b"], "m")
    with pytest.raises(PortError, match="class name 'Net; import os' is not a plain Python"):
        port.generate_source(model, "Net; import os")


def test_audit_refuses_a_source_that_imports():
    from keras_compat.port.audit import checked_tree
    source, _ = port.generate_source(_model(["a", "b"], "m"))
    evil = source.replace("        x = self.a(x)", "        import os\n        x = self.a(x)")
    assert evil != source
    with pytest.raises(PortError, match=r"generated source refused \(Import in forward\(\)\)"):
        checked_tree(evil, "PortedModel")
    sneaky = source.replace("x = self.a(x)", "x = getattr(x, 'y')")
    with pytest.raises(PortError, match="unknown name 'getattr'"):
        checked_tree(sneaky, "PortedModel")
