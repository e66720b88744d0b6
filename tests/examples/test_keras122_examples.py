"""Keras 1.2.2's own example scripts, unmodified, through ``python -m keras_compat`` (issue 7).

The scripts are not part of this repository: point ``KERAS122_EXAMPLES`` at the ``examples/``
folder of the keras-team/keras repository at tag 1.2.2, e.g.

    git archive 1.2.2 examples | tar -x -C /tmp/k && export KERAS122_EXAMPLES=/tmp/k/examples

Each script runs in its own process with ``--max-epochs 1 --max-steps 20`` against the stand-in
dataset files of tools/fake_keras_datasets.py in a temporary KERAS_HOME, and must exit 0 after
printing the line it ends with (its final score where it prints one; for the scripts that end
with a ``fit`` or a plot, the last epoch's validation metrics or its last message).
"""
import importlib.util
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLES = os.environ.get("KERAS122_EXAMPLES", "")

if not EXAMPLES or not os.path.isdir(EXAMPLES):
    pytest.skip("set KERAS122_EXAMPLES to the examples/ folder of Keras 1.2.2 (tag 1.2.2 of "
                "keras-team/keras) to run its example scripts%s"
                % ("" if not EXAMPLES else "; %r is not a folder" % EXAMPLES), allow_module_level=True)

_NUMBER = r"(-?[0-9][0-9.e+-]*|nan|inf)"
_VAL_ACC = r"val_loss: %s - val_acc: %s" % (_NUMBER, _NUMBER)

# script -> (regex its final output must match, count of matches, modules it imports besides keras)
CASES = {
    "mnist_mlp.py": (r"Test accuracy: %s" % _NUMBER, 1, ()),
    "mnist_cnn.py": (r"Test accuracy: %s" % _NUMBER, 1, ()),
    # trains twice (all layers, then the frozen feature layers): two scores
    "mnist_transfer_cnn.py": (r"Test accuracy: %s" % _NUMBER, 2, ()),
    # ends with fit(..., validation_data=...): its last epoch line
    "antirectifier.py": (_VAL_ACC, 1, ()),
    "reuters_mlp.py": (r"Test accuracy: %s" % _NUMBER, 1, ()),
    "imdb_cnn.py": (_VAL_ACC, 1, ()),
    "imdb_cnn_lstm.py": (r"Test accuracy: %s" % _NUMBER, 1, ()),
    "imdb_fasttext.py": (_VAL_ACC, 1, ()),
    "imdb_lstm.py": (r"Test accuracy: %s" % _NUMBER, 1, ()),
    "imdb_bidirectional_lstm.py": (_VAL_ACC, 1, ()),
    # 199 iterations of fit + 10 decoded predictions each
    "addition_rnn.py": (r"Iteration 199\n", 1, ("six",)),
    # 59 iterations of fit + 4 x 400 generated characters each
    "lstm_text_generation.py": (r"Iteration 59\n", 1, ()),
    "stateful_lstm.py": (r"Predicting\nPlotting Results\n", 1, ("matplotlib",)),
    "mnist_siamese_graph.py": (r"\* Accuracy on test set: %s%%" % _NUMBER, 1, ()),
    "variational_autoencoder.py": (r"val_loss: %s" % _NUMBER, 1, ("matplotlib", "scipy")),
    "cifar10_cnn.py": (_VAL_ACC, 1, ()),
    "mnist_hierarchical_rnn.py": (r"Test accuracy: %s" % _NUMBER, 1, ()),
}


def _fake_datasets_tool():
    spec = importlib.util.spec_from_file_location("fake_keras_datasets",
                                                  os.path.join(ROOT, "tools", "fake_keras_datasets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# mnist_mlp, antirectifier and mnist_siamese_graph reshape to the real sample counts
# (X_train.reshape(60000, 784)): they get the full-size MNIST stand-in; the rest run on the small
# stand-ins, which keeps their evaluation/validation passes short.
FULL_MNIST = ("mnist_mlp.py", "antirectifier.py", "mnist_siamese_graph.py")


@pytest.fixture(scope="module")
def keras_homes(tmp_path_factory):
    tool = _fake_datasets_tool()
    small = tmp_path_factory.mktemp("keras122_home_small")
    tool.write_datasets(str(small / "datasets"), size="small", seed=0, verbose=False)
    full = tmp_path_factory.mktemp("keras122_home_full")
    tool.write_datasets(str(full / "datasets"), size="full", only=["mnist"], seed=0, verbose=False)
    return {"small": small, "full": full}


def _run_example(script, keras_home, workdir):
    env = dict(os.environ, KERAS_HOME=str(keras_home), KERAS_COMPAT_DEVICE="cpu", MPLBACKEND="Agg",
               PYTHONIOENCODING="utf-8")
    for name in ("KERAS_COMPAT_MAX_EPOCHS", "KERAS_COMPAT_MAX_STEPS", "KERAS_BACKEND"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "keras_compat", "--max-epochs", "1", "--max-steps", "20",
                           script], cwd=str(workdir), capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_keras122_example_runs_unmodified(name, keras_homes, tmp_path):
    script = os.path.join(EXAMPLES, name)
    if not os.path.isfile(script):
        pytest.fail("%s is missing from KERAS122_EXAMPLES=%s" % (name, EXAMPLES))
    pattern, count, modules = CASES[name]
    for module in modules:
        pytest.importorskip(module, reason="%s imports %s, which is not installed" % (name, module))
    result = _run_example(script, keras_homes["full" if name in FULL_MNIST else "small"], tmp_path)
    tail = "\n".join((result.stdout[-3000:], result.stderr[-6000:]))
    assert result.returncode == 0, "%s exited with %d:\n%s" % (name, result.returncode, tail)
    # Progress bars redraw with \r and \b: compare on the text as a terminal would leave it.
    out = re.sub(r"[^\n]*\r", "", result.stdout.replace("\b", ""))
    found = re.findall(pattern, out)
    assert len(found) >= count, "%s did not print %r (%d times):\n%s" % (name, pattern, count, tail)
    for value in re.findall(_NUMBER, " ".join(str(f) for f in found)):
        assert value not in ("nan", "inf"), "%s printed a non-finite score: %r" % (name, found)
