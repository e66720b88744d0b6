"""Keras-1 style functional/custom-layer/backend examples run unmodified through the runner
(in process: the run_runner fixture of tests/conftest.py; tests/test_runner.py pins it against a
real ``python -m keras_compat`` child)."""
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "examples"))


@pytest.fixture
def _run(run_runner):
    def run(tmp_path, name):
        result = run_runner(os.path.join(ROOT, name), env={"KERAS_COMPAT_DEVICE": "cpu"},
                            cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return result.stdout
    return run


def _after(out, prefix):
    return out.split(prefix)[1].splitlines()[0].strip()


def test_siamese_mlp_with_contrastive_loss(tmp_path, _run):
    out = _run(tmp_path, "siamese_mlp.py")
    assert float(_after(out, "* Accuracy on training set: ").rstrip("%")) > 85
    # the shared Sequential: its own node 0 plus one node per branch, as in Keras 1
    assert "shared layers: 3" in out


def test_two_branch_question_answering(tmp_path, _run):
    out = _run(tmp_path, "two_branch_qa.py")
    assert "merge_1 (Merge)" in out
    loss, acc = [float(v) for v in _after(out, "Test loss / test accuracy = ").split(" / ")]
    assert acc > 0.4 and loss < 1.6  # chance is 1/7


def test_variational_autoencoder_custom_loss(tmp_path, _run):
    out = _run(tmp_path, "variational_autoencoder.py")
    words = _after(out, "vae loss before: ").split()
    before, after = float(words[0]), float(words[2])
    assert after < 0.7 * before
    assert "encoded shape: (100, 2)" in out


def test_antirectifier_custom_layer(tmp_path, _run):
    out = _run(tmp_path, "antirectifier.py")
    assert "antirectifier output shape: (None, 64)" in out
    assert float(_after(out, "Test accuracy: ")) > 0.6


def test_gradient_ascent_with_function_and_gradients(tmp_path, _run):
    out = _run(tmp_path, "gradient_ascent.py")
    first, last = float(_after(out, "first loss: ")), float(_after(out, "last loss: "))
    assert last > first + 0.5 and last <= 1.0 + 1e-6
    assert "monotonic: True" in out
