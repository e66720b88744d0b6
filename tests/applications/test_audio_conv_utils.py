"""audio_conv_utils against real Keras 1.2.2: tag decoding, the librosa requirement, and the
spectrogram pipeline (run here with a stand-in librosa that records what it was asked)."""
import json
import sys
import types

import numpy as np
import pytest

from keras_compat.applications import audio_conv_utils

from applications_helpers import configure, data_path


def _oracle():
    return np.load(data_path("audio_conv_utils.npz"))


def test_decode_predictions_matches_keras1():
    ref = _oracle()
    decoded = audio_conv_utils.decode_predictions(ref["scores"], top_n=3)
    expected = json.loads(str(ref["decoded"]))
    assert [[tag for tag, _ in row] for row in decoded] == [[t for t, _ in row] for row in expected]
    np.testing.assert_allclose([[s for _, s in row] for row in decoded],
                               [[s for _, s in row] for row in expected], rtol=1e-6)


def test_decode_predictions_bad_shape():
    with pytest.raises(ValueError, match=r"shape \(samples, 50\)\); got shape \(3, 49\)"):
        audio_conv_utils.decode_predictions(np.zeros((3, 49)))


def test_preprocess_input_without_librosa_is_keras1s_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "librosa", None)
    errors = json.loads(str(_oracle()["errors"]))
    with pytest.raises(ImportError) as caught:
        audio_conv_utils.preprocess_input("song.mp3")
    assert ["ImportError", str(caught.value)] == errors["audio_preprocess"]


def _fake_librosa(samples, calls):
    """A librosa stand-in: ``load`` returns ``samples`` at 12 kHz, ``melspectrogram`` a
    (96, frames) array of ones, ``power_to_db`` records its input."""
    fake = types.ModuleType("librosa")

    def load(path, sr):
        calls["load"] = (path, sr)
        return samples, sr

    def melspectrogram(y, sr, hop_length, n_fft, n_mels):
        calls["mel"] = dict(length=len(y), head=float(y[0]), tail=float(y[-1]), sr=sr,
                            hop_length=hop_length, n_fft=n_fft, n_mels=n_mels)
        return np.full((n_mels, 1 + len(y) // hop_length), 3.0)

    def power_to_db(power, ref):
        calls["db"] = (float(power.max()), ref)
        return 10.0 * np.log10(power)

    fake.load = load
    fake.feature = types.SimpleNamespace(melspectrogram=melspectrogram)
    fake.power_to_db = power_to_db
    return fake


@pytest.mark.parametrize("ordering,shape", [("tf", (96, 1366, 1)), ("th", (1, 96, 1366))])
def test_preprocess_input_pipeline(monkeypatch, ordering, shape):
    configure("tensorflow", ordering)
    calls = {}
    # 40 s of audio: the middle 29.12 s are kept.
    samples = np.arange(480000, dtype=np.float32)
    monkeypatch.setitem(sys.modules, "librosa", _fake_librosa(samples, calls))
    x = audio_conv_utils.preprocess_input("song.mp3")
    assert calls["load"] == ("song.mp3", 12000)
    wanted = int(29.12 * 12000)
    start = (480000 - wanted) // 2
    assert calls["mel"] == dict(length=wanted, head=float(start), tail=float(start + wanted - 1),
                                sr=12000, hop_length=256, n_fft=512, n_mels=96)
    # The mel power is squared before the decibel conversion, with reference power 1.
    assert calls["db"] == (9.0, 1.0)
    assert x.shape == shape
    np.testing.assert_allclose(x, 10 * np.log10(9.0))


def test_preprocess_input_pads_short_audio(monkeypatch):
    calls = {}
    monkeypatch.setitem(sys.modules, "librosa", _fake_librosa(np.ones(1000, np.float32), calls))
    audio_conv_utils.preprocess_input("short.wav", dim_ordering="th")
    assert calls["mel"]["length"] == int(29.12 * 12000)
    assert calls["mel"]["head"] == 1.0 and calls["mel"]["tail"] == 0.0


def test_preprocess_input_bad_ordering():
    with pytest.raises(ValueError, match="dim_ordering must be 'tf', 'th' or 'default'"):
        audio_conv_utils.preprocess_input("song.mp3", dim_ordering="channels_last")
