"""``python -m keras_compat --precision bfloat16|float16 script.py``: mixed precision for an
unmodified Keras-1 script; refused values exit 2 before anything runs."""
import textwrap

import pytest

from keras_compat._runner import main, parse_run_args

SCRIPT = """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(3, input_dim=4, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="sgd")
x = np.random.rand(8, 4).astype("float32")
y = np.eye(3, dtype="float32")[np.random.randint(0, 3, 8)]
loss = model.train_on_batch(x, y)
policy = model._trainer.precision
print(None if policy is None else str(policy.dtype), type(loss).__name__,
      model.get_weights()[0].dtype)
"""


def test_precision_is_parsed_before_the_script():
    options = parse_run_args(["--precision", "bfloat16", "s.py", "--precision", "x"])
    assert (options.precision, options.script, options.args) == ("bfloat16", "s.py",
                                                                 ["--precision", "x"])
    assert parse_run_args(["s.py"]).precision is None


@pytest.mark.parametrize("flag, expected", [
    ([], "None Keras1Float32 float32"),
    (["--precision", "bfloat16"], "torch.bfloat16 Keras1Float32 float32"),
    (["--precision=float32"], "None Keras1Float32 float32"),
])
def test_precision_option_reaches_the_trainer(tmp_path, run_runner, flag, expected):
    (tmp_path / "train.py").write_text(textwrap.dedent(SCRIPT))
    done = run_runner(*(flag + ["train.py"]), env={"KERAS_COMPAT_PRECISION": None}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected


def test_an_unknown_precision_is_a_usage_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "s.py").write_text("print('ran')\n")
    monkeypatch.chdir(tmp_path)
    assert main(["--precision", "float8", "s.py"]) == 2
    out, err = capsys.readouterr()
    assert "--precision must be one of float32|bfloat16|float16, not 'float8'" in err
    assert "ran" not in out


def test_help_lists_the_precision_option(capsys):
    assert main(["--help"]) == 0
    assert "--precision bfloat16|float16" in capsys.readouterr().out
