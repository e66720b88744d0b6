"""Arguments and names as in Keras 1.2.2: every bad call gives Keras 1.2.2's error and warnings
(tests/data/applications/behaviour_*.json), and each module's functions have Keras 1.2.2's
signatures and constants (api.json)."""
import importlib
import inspect
import json
import warnings

import pytest

from keras_compat.backend import config

from applications_helpers import application, behaviour, configure, data_path


def _image_shape(ordering, size):
    return (3, size, size) if ordering == "th" else (size, size, 3)


# The oracle script's bad calls: case -> (module, function, keyword arguments given the ordering).
BAD_CALLS = {
    "vgg16_bad_weights": ("vgg16", "VGG16", lambda o: dict(weights="places")),
    "vgg16_imagenet_classes": ("vgg16", "VGG16", lambda o: dict(weights="imagenet", classes=10)),
    "vgg16_top_shape": ("vgg16", "VGG16", lambda o: dict(weights=None,
                                                         input_shape=_image_shape(o, 100))),
    "vgg16_rank": ("vgg16", "VGG16", lambda o: dict(include_top=False, weights=None,
                                                    input_shape=(100, 100))),
    "vgg16_channels": ("vgg16", "VGG16", lambda o: dict(
        include_top=False, weights=None, input_shape=(4, 100, 100) if o == "th" else (100, 100, 4))),
    "vgg16_small": ("vgg16", "VGG16", lambda o: dict(include_top=False, weights=None,
                                                     input_shape=_image_shape(o, 47))),
    "resnet50_small": ("resnet50", "ResNet50", lambda o: dict(include_top=False, weights=None,
                                                              input_shape=_image_shape(o, 196))),
    "inception_v3_small": ("inception_v3", "InceptionV3", lambda o: dict(
        include_top=False, weights=None, input_shape=_image_shape(o, 138))),
    "xception_small": ("xception", "Xception", lambda o: dict(include_top=False, weights=None,
                                                              input_shape=(70, 70, 3))),
    "xception_bad_weights": ("xception", "Xception", lambda o: dict(weights="places")),
    "music_tagger_bad_weights": ("music_tagger_crnn", "MusicTaggerCRNN",
                                 lambda o: dict(weights="imagenet")),
    "music_tagger_msd_classes": ("music_tagger_crnn", "MusicTaggerCRNN",
                                 lambda o: dict(weights="msd", classes=10)),
    # Under Theano, Xception refuses to build at all.
    "xception": ("xception", "Xception", lambda o: dict(weights=None)),
}


def _cases():
    for backend in ("theano", "tensorflow"):
        for ordering in ("tf", "th"):
            recorded = behaviour(backend, ordering)
            for case in sorted(BAD_CALLS):
                if case in recorded and "error" in recorded[case]:
                    yield pytest.param(backend, ordering, case,
                                       id="%s-%s-%s" % (backend, ordering, case))


@pytest.mark.parametrize("backend,ordering,case", list(_cases()))
def test_bad_call_is_keras1s_error(backend, ordering, case):
    expected = behaviour(backend, ordering)[case]
    module, function, kwargs = BAD_CALLS[case]
    configure(backend, ordering)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(Exception) as raised:
            application(module, function)(**kwargs(ordering))
    assert [type(raised.value).__name__, str(raised.value)] == expected["error"]
    assert [str(w.message) for w in caught] == expected["warnings"]
    # Keras 1.2.2 left Xception's temporary 'tf' ordering behind when the build failed; the
    # configured ordering is put back here.
    assert config.image_dim_ordering() == ordering


def test_every_recorded_error_is_tested():
    for backend in ("theano", "tensorflow"):
        for ordering in ("tf", "th"):
            failing = {case for case, entry in behaviour(backend, ordering).items()
                       if "error" in entry}
            assert failing <= set(BAD_CALLS) | {"xception_notop"}, (backend, ordering)


def _api():
    with open(data_path("api.json")) as handle:
        return json.load(handle)


# Names Keras 1.2.2's modules imported for their own use (layers, get_file, ...) are not part of
# the applications API; the helpers users import from a model module are.
REEXPORTED = {"decode_predictions", "preprocess_input", "_obtain_input_shape"}


def _api_entries():
    for module, entries in sorted(_api().items()):
        if module == "keras.applications":
            continue
        for name, value in sorted(entries.items()):
            if isinstance(value, str) and value.startswith("imported function") and \
                    name not in REEXPORTED:
                continue
            yield pytest.param(module, name, value, id="%s.%s" % (module.split(".")[-1], name))


@pytest.mark.parametrize("module,name,value", list(_api_entries()))
def test_names_and_signatures_are_keras1s(module, name, value):
    ours = getattr(importlib.import_module(module.replace("keras", "keras_compat", 1)), name)
    if isinstance(value, str) and value.startswith(("function", "imported function")):
        signature = value[value.index("("):]
        assert str(inspect.signature(ours)) == signature
    else:
        assert ours == value


def test_package_exports_the_five_image_models():
    package = importlib.import_module("keras_compat.applications")
    assert sorted(package.__all__) == _api()["keras.applications"]
    assert not hasattr(package, "MusicTaggerCRNN")


def test_raw_backend_tensor_is_refused_clearly():
    import torch
    configure("tensorflow", "tf")
    with pytest.raises(NotImplementedError, match="input_tensor="):
        application("vgg16", "VGG16")(include_top=False, weights=None,
                                      input_tensor=torch.zeros(1, 64, 64, 3))
