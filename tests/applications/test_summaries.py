"""Every application's ``summary()`` against real Keras 1.2.2's, byte for byte.

The references (tests/data/applications/summaries/) were printed by Keras 1.2.2 with
weights=None, in each image_dim_ordering (tools/oracle_cases/applications_cases.py); Xception's
under the TensorFlow backend, the only one it supports. The big networks are marked slow: VGG's
138M parameters are initialised with NumPy, whose random draws the fixture below replaces.
"""
import os
import time
import warnings

import pytest

from keras_compat.backend import config
from keras_compat.layers import Input

from applications_helpers import application, behaviour, configure, data_path, summary_text

slow = pytest.mark.slow


@pytest.fixture(autouse=True)
def _weights_without_random_draws(monkeypatch):
    """A summary shows shapes and counts, not values: skip drawing 138M random numbers (most of
    VGG's build time) by letting the initializers' NumPy draws return zeros of the same shape."""
    import numpy as np

    def zeros(*args, size=None, **kwargs):
        return np.zeros(size if size is not None else (), dtype="float32")

    monkeypatch.setattr(np.random, "uniform", zeros)
    monkeypatch.setattr(np.random, "normal", zeros)


def _image_shape(ordering, size):
    return (3, size, size) if ordering == "th" else (size, size, 3)


# case -> (module, function, keyword arguments given the ordering); the same calls as the
# oracle script made.
CASES = {
    "vgg16": ("vgg16", "VGG16", lambda o: dict(weights=None)),
    "vgg16_notop": ("vgg16", "VGG16", lambda o: dict(include_top=False, weights=None)),
    "vgg16_notop_200": ("vgg16", "VGG16", lambda o: dict(include_top=False, weights=None,
                                                         input_shape=_image_shape(o, 200))),
    "vgg16_classes10": ("vgg16", "VGG16", lambda o: dict(weights=None, classes=10)),
    "vgg16_input_tensor": ("vgg16", "VGG16", lambda o: dict(
        include_top=False, weights=None, input_tensor=Input(shape=_image_shape(o, 64),
                                                            name="image"))),
    "vgg19": ("vgg19", "VGG19", lambda o: dict(weights=None)),
    "vgg19_notop": ("vgg19", "VGG19", lambda o: dict(include_top=False, weights=None)),
    "music_tagger_crnn": ("music_tagger_crnn", "MusicTaggerCRNN", lambda o: dict(weights=None)),
    "music_tagger_crnn_notop": ("music_tagger_crnn", "MusicTaggerCRNN",
                                lambda o: dict(weights=None, include_top=False)),
    "resnet50": ("resnet50", "ResNet50", lambda o: dict(weights=None)),
    "resnet50_notop": ("resnet50", "ResNet50", lambda o: dict(include_top=False, weights=None)),
    "inception_v3": ("inception_v3", "InceptionV3", lambda o: dict(weights=None)),
    "inception_v3_notop": ("inception_v3", "InceptionV3",
                           lambda o: dict(include_top=False, weights=None)),
    "xception": ("xception", "Xception", lambda o: dict(weights=None)),
    "xception_notop": ("xception", "Xception", lambda o: dict(include_top=False, weights=None)),
}
FAST = {"vgg16_notop", "vgg16_input_tensor", "music_tagger_crnn_notop"}


def _params():
    for case in CASES:
        for ordering in ("tf", "th"):
            marks = [] if case in FAST else [slow]
            yield pytest.param(case, ordering, id="%s-%s" % (case, ordering), marks=marks)


@pytest.mark.parametrize("case,ordering", list(_params()))
def test_summary_is_keras1s(case, ordering):
    module, function, kwargs = CASES[case]
    # Xception's references come from Keras 1.2.2 on TensorFlow (it refuses Theano), the
    # others from Theano; the summaries Keras printed on both backends were the same.
    backend = "tensorflow" if function == "Xception" else "theano"
    configure(backend, ordering)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = application(module, function)(**kwargs(ordering))
    built = time.perf_counter() - start
    assert [str(w.message) for w in caught] == behaviour(backend, ordering)[case]["warnings"]
    assert config.image_dim_ordering() == ordering
    with open(data_path("summaries", "%s_%s.txt" % (case, ordering))) as handle:
        expected = handle.read()
    assert summary_text(model) == expected
    # Shown with -s: build times per model, for the record.
    print("%s (%s) built in %.1f s" % (case, ordering, built))


def test_every_reference_is_tested():
    files = set(os.listdir(data_path("summaries")))
    assert files == {"%s_%s.txt" % (case, o) for case in CASES for o in ("tf", "th")}
