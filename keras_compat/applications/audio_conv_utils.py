"""``keras.applications.audio_conv_utils``: mel-spectrogram input and tag decoding for
MusicTaggerCRNN.

``preprocess_input`` needs librosa (imported when first called, as an optional
dependency); it reproduces Keras 1.2.2's spectrogram: 12 kHz audio cut or zero-padded to
29.12 s around its centre, a 96-band mel spectrogram (FFT 512, hop 256) squared and turned
into decibels with reference power 1.
"""
import importlib

import numpy as np

from keras_compat.backend import config

__all__ = ["preprocess_input", "decode_predictions", "TAGS"]

# The 50 Million Song Dataset tags, in the order of MusicTaggerCRNN's outputs.
TAGS = ["rock", "pop", "alternative", "indie", "electronic",
        "female vocalists", "dance", "00s", "alternative rock", "jazz",
        "beautiful", "metal", "chillout", "male vocalists",
        "classic rock", "soul", "indie rock", "Mellow", "electronica",
        "80s", "folk", "90s", "chill", "instrumental", "punk",
        "oldies", "blues", "hard rock", "ambient", "acoustic",
        "experimental", "female vocalist", "guitar", "Hip-Hop",
        "70s", "party", "country", "easy listening",
        "sexy", "catchy", "funk", "electro", "heavy metal",
        "Progressive rock", "60s", "rnb", "indie pop",
        "sad", "House", "happy"]

SAMPLE_RATE = 12000
N_FFT = 512
N_MELS = 96
HOP_LENGTH = 256
DURATION_SECONDS = 29.12


def _librosa():
    try:
        return importlib.import_module("librosa")
    except ImportError:
        raise ImportError("Librosa is required to process audio files. Install it via `pip "
                          "install librosa` or visit http://librosa.github.io/librosa/ for "
                          "details.") from None


def _power_to_db(librosa, power):
    # librosa < 0.6 named it logamplitude(ref_power=); later versions power_to_db(ref=), same formula.
    if hasattr(librosa, "logamplitude"):
        return librosa.logamplitude(power, ref_power=1.0)
    return librosa.power_to_db(power, ref=1.0)


def preprocess_input(audio_path, dim_ordering="default"):
    """The mel spectrogram of an audio file, ``(1, 96, 1366)`` for ``'th'``, ``(96, 1366, 1)``
    for ``'tf'``."""
    if dim_ordering == "default":
        dim_ordering = config.image_dim_ordering()
    if dim_ordering not in ("tf", "th"):
        raise ValueError("preprocess_input: dim_ordering must be 'tf', 'th' or 'default', not %r"
                         % (dim_ordering,))
    librosa = _librosa()
    signal, rate = librosa.load(audio_path, sr=SAMPLE_RATE)
    have = signal.shape[0]
    wanted = int(DURATION_SECONDS * rate)
    if have < wanted:
        signal = np.hstack((signal, np.zeros((wanted - have,))))
    elif have > wanted:
        signal = signal[(have - wanted) // 2:(have + wanted) // 2]
    mel = librosa.feature.melspectrogram(y=signal, sr=rate, hop_length=HOP_LENGTH, n_fft=N_FFT,
                                         n_mels=N_MELS)
    spectrogram = _power_to_db(librosa, mel ** 2)
    return np.expand_dims(spectrogram, axis=0 if dim_ordering == "th" else -1)


def decode_predictions(preds, top_n=5):
    """The ``top_n`` tags of each sample, best first, as ``(tag, score)`` pairs.

    # Arguments
        preds: 2D array of shape ``(samples, 50)``.
        top_n: how many tags to return per sample.
    """
    if len(preds.shape) != 2 or preds.shape[1] != len(TAGS):
        raise ValueError("audio_conv_utils.decode_predictions expects a batch of MusicTaggerCRNN "
                         "predictions (a 2D array of shape (samples, 50)); got shape %s"
                         % (preds.shape,))
    results = []
    for pred in preds:
        ranked = sorted(zip(TAGS, pred), key=lambda pair: pair[1], reverse=True)
        results.append(ranked[:top_n])
    return results
