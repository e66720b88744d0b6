"""The README's main job: the classic Keras-1 tutorial, unmodified, through the runner (in
process: the run_runner fixture of tests/conftest.py)."""
import os

import pytest
from PIL import Image

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
SCRIPT = os.path.abspath(os.path.join(ROOT, "examples", "seed_tutorial.py"))


@pytest.fixture
def _run(run_runner):
    def run(tmp_path, *flags):
        return run_runner(*flags, SCRIPT, env={"KERAS_COMPAT_DEVICE": "cpu"}, cwd=tmp_path)
    return run


def test_seed_tutorial_runs_unmodified_with_theano_ordering(tmp_path, _run):
    result = _run(tmp_path, "--dim-ordering", "th")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "dense_1 (Dense)                  (None, 64)            6464        dense_input_1[0][0]" in out
    assert "Total params: 7,114" in out
    for epoch in range(1, 6):
        assert "Epoch %d/5" % epoch in out
    assert "1000/1000 [==============================]" in out
    lines = out.splitlines()
    assert "(None, 64, 32, 32)" in lines
    assert "(None, 65536)" in lines
    assert "Embedding -> Flatten -> Dense output shape: (None, 1)" in out
    loss, acc = eval(out.split("Test loss and accuracy: ")[1].splitlines()[0])
    assert 0 < loss < 2.3 and acc > 0.15
    for name in ("Flatten.png", "model.png"):
        image = Image.open(str(tmp_path / name))
        assert image.format == "PNG" and image.size[1] > 150


def test_channels_first_shape_under_tf_ordering_warns_how_to_fix(tmp_path, run_runner):
    script = tmp_path / "conv.py"
    script.write_text("from keras.models import Sequential\n"
                      "from keras.layers.convolutional import Convolution2D\n"
                      "m = Sequential()\n"
                      "m.add(Convolution2D(64, 3, 3, border_mode='same', input_shape=(3, 32, 32)))\n"
                      "print(m.output_shape)\n")
    result = run_runner(script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(None, 3, 32, 64)" in result.stdout
    assert any("--dim-ordering th" in text for text in result.warnings)
