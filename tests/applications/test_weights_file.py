"""Pretrained weights: looked up in the Keras cache under Keras 1.2.2's file names, never
downloaded, and loaded with the kernel conversion Keras 1.2.2 applied.

The loading tests write their own small HDF5 files (weights of a randomly initialised model,
saved with keras_compat's Keras-1 HDF5 writer) under the expected name.
"""
import os
import warnings

import numpy as np
import pytest

from keras_compat.applications import _weights_file
from keras_compat.backend import config
from keras_compat.utils import data_utils

from applications_helpers import application, configure

h5py = pytest.importorskip("h5py")

RELEASES = "https://github.com/fchollet/deep-learning-models/releases/download/"

# (module, function, weights, include_top, ordering) -> the file Keras 1.2.2 fetched.
EXPECTED_FILES = {
    ("vgg16", "VGG16", "imagenet", True, "th"): "v0.1/vgg16_weights_th_dim_ordering_th_kernels.h5",
    ("vgg16", "VGG16", "imagenet", True, "tf"): "v0.1/vgg16_weights_tf_dim_ordering_tf_kernels.h5",
    ("vgg16", "VGG16", "imagenet", False, "th"):
        "v0.1/vgg16_weights_th_dim_ordering_th_kernels_notop.h5",
    ("vgg16", "VGG16", "imagenet", False, "tf"):
        "v0.1/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ("vgg19", "VGG19", "imagenet", True, "th"): "v0.1/vgg19_weights_th_dim_ordering_th_kernels.h5",
    ("vgg19", "VGG19", "imagenet", True, "tf"): "v0.1/vgg19_weights_tf_dim_ordering_tf_kernels.h5",
    ("vgg19", "VGG19", "imagenet", False, "th"):
        "v0.1/vgg19_weights_th_dim_ordering_th_kernels_notop.h5",
    ("vgg19", "VGG19", "imagenet", False, "tf"):
        "v0.1/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ("resnet50", "ResNet50", "imagenet", True, "th"):
        "v0.2/resnet50_weights_th_dim_ordering_th_kernels.h5",
    ("resnet50", "ResNet50", "imagenet", True, "tf"):
        "v0.2/resnet50_weights_tf_dim_ordering_tf_kernels.h5",
    ("resnet50", "ResNet50", "imagenet", False, "th"):
        "v0.2/resnet50_weights_th_dim_ordering_th_kernels_notop.h5",
    ("resnet50", "ResNet50", "imagenet", False, "tf"):
        "v0.2/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ("inception_v3", "InceptionV3", "imagenet", True, "th"):
        "v0.2/inception_v3_weights_th_dim_ordering_th_kernels.h5",
    ("inception_v3", "InceptionV3", "imagenet", True, "tf"):
        "v0.2/inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
    ("inception_v3", "InceptionV3", "imagenet", False, "th"):
        "v0.2/inception_v3_weights_th_dim_ordering_th_kernels_notop.h5",
    ("inception_v3", "InceptionV3", "imagenet", False, "tf"):
        "v0.2/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
    # Xception builds the 'tf' model (and fetches the tf file) whatever the ordering.
    ("xception", "Xception", "imagenet", True, "th"):
        "v0.4/xception_weights_tf_dim_ordering_tf_kernels.h5",
    ("xception", "Xception", "imagenet", True, "tf"):
        "v0.4/xception_weights_tf_dim_ordering_tf_kernels.h5",
    ("xception", "Xception", "imagenet", False, "tf"):
        "v0.4/xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ("music_tagger_crnn", "MusicTaggerCRNN", "msd", True, "th"):
        "v0.3/music_tagger_crnn_weights_tf_kernels_th_dim_ordering.h5",
    ("music_tagger_crnn", "MusicTaggerCRNN", "msd", True, "tf"):
        "v0.3/music_tagger_crnn_weights_tf_kernels_tf_dim_ordering.h5",
    ("music_tagger_crnn", "MusicTaggerCRNN", "msd", False, "tf"):
        "v0.3/music_tagger_crnn_weights_tf_kernels_tf_dim_ordering.h5",
}


@pytest.mark.parametrize("key", sorted(EXPECTED_FILES), ids=lambda k: "-".join(map(str, k[1:])))
def test_missing_file_names_path_and_origin(key):
    module, function, weights, include_top, ordering = key
    configure("tensorflow", ordering)
    fname = EXPECTED_FILES[key].split("/")[1]
    expected_path = os.path.join(config.keras_home(), "models", fname)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Xception's 'th' warning
        with pytest.raises(FileNotFoundError) as caught:
            application(module, function)(weights=weights, include_top=include_top)
    message = str(caught.value)
    assert "%s(weights=%r)" % (function, weights) in message
    assert repr(fname) in message
    assert expected_path in message
    assert RELEASES + EXPECTED_FILES[key] in message
    assert "never downloads" in message
    assert config.image_dim_ordering() == ordering


def test_cache_is_home_dot_keras_without_keras_home(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=str(tmp_path / ".keras" / "models" /
                                                    "vgg16_weights_tf_dim_ordering_tf_kernels.h5")):
        application("vgg16", "VGG16")()


def test_md5_mismatch_warns_and_uses_the_file():
    from keras_compat.applications.resnet50 import WEIGHTS_FILES
    entry = WEIGHTS_FILES[("tf", False)]
    folder = data_utils.cache_dir("models")
    os.makedirs(folder)
    with open(os.path.join(folder, entry.fname), "wb") as handle:
        handle.write(b"not the real file")
    with pytest.warns(UserWarning, match="a268eb855778b3df3c7506639542a6af"):
        path = _weights_file.locate("ResNet50", "imagenet", entry)
    assert path == os.path.join(folder, entry.fname)


def _save_into_cache(model, fname):
    folder = data_utils.cache_dir("models")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, fname)
    model.save_weights(path)
    return path


def _flip(kernel, ordering):
    """Keras 1.2.2's convert_kernel: the kernel reversed along its spatial axes."""
    spatial = (2, 3) if ordering == "th" else (0, 1)
    return np.flip(kernel, spatial)


def _is_conv(layer):
    return type(layer).__name__ == "Convolution2D"


@pytest.mark.parametrize("ordering,backend,flipped,warns", [
    pytest.param("th", "tensorflow", True, True, id="th-kernels-under-tensorflow"),
    pytest.param("tf", "tensorflow", False, False, id="tf-kernels-under-tensorflow",
                 marks=pytest.mark.slow),
    pytest.param("tf", "theano", True, False, id="tf-kernels-under-theano",
                 marks=pytest.mark.slow),
    pytest.param("th", "theano", False, False, id="th-kernels-under-theano",
                 marks=pytest.mark.slow),
])
def test_vgg16_loads_cached_file_with_kernel_conversion(ordering, backend, flipped, warns):
    from keras_compat.applications.vgg16 import VGG16, WEIGHTS_FILES
    configure(backend, ordering)
    source = VGG16(include_top=False, weights=None)
    saved = [layer.get_weights() for layer in source.layers]
    _save_into_cache(source, WEIGHTS_FILES[(ordering, False)].fname)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = VGG16(include_top=False, weights="imagenet")
    messages = [str(w.message) for w in caught]
    assert any("Theano image dimension ordering convention" in m for m in messages) == warns
    for layer, before in zip(loaded.layers, saved):
        after = layer.get_weights()
        assert len(after) == len(before)
        if _is_conv(layer) and flipped:
            np.testing.assert_array_equal(after[0], _flip(before[0], ordering))
            np.testing.assert_array_equal(after[1], before[1])
        else:
            for a, b in zip(after, before):
                np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("ordering", ["tf", "th"])
@pytest.mark.parametrize("backend", ["tensorflow", "theano"])
def test_music_tagger_loads_cached_file_by_name(ordering, backend):
    from keras_compat.applications.music_tagger_crnn import MusicTaggerCRNN, WEIGHTS_FILES
    configure(backend, ordering)
    source = MusicTaggerCRNN(weights=None, include_top=False)
    saved = {layer.name: layer.get_weights() for layer in source.layers}
    _save_into_cache(source, WEIGHTS_FILES[ordering].fname)
    loaded = MusicTaggerCRNN(weights="msd", include_top=False)
    named = [layer for layer in loaded.layers if layer.name in saved and saved[layer.name]]
    # Loaded by name: the auto-named ELU/Permute/Reshape layers carry no weights, every named
    # layer with weights got the file's.
    assert {layer.name for layer in named} == {
        "bn_0_freq", "conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "conv4", "bn4", "gru1",
        "gru2"}
    for layer in named:
        before, after = saved[layer.name], layer.get_weights()
        # TensorFlow kernels in both files: flipped exactly when Theano is emulated.
        if _is_conv(layer) and backend == "theano":
            np.testing.assert_array_equal(after[0], _flip(before[0], ordering))
            after, before = after[1:], before[1:]
        for a, b in zip(after, before):
            np.testing.assert_array_equal(a, b)


def test_unreadable_cached_file_is_named_in_the_error():
    from keras_compat.applications.music_tagger_crnn import MusicTaggerCRNN, WEIGHTS_FILES
    configure("tensorflow", "tf")
    folder = data_utils.cache_dir("models")
    os.makedirs(folder)
    with open(os.path.join(folder, WEIGHTS_FILES["tf"].fname), "wb") as handle:
        handle.write(b"truncated download")
    with pytest.raises(Exception) as caught:
        MusicTaggerCRNN(weights="msd", include_top=False)
    assert WEIGHTS_FILES["tf"].fname in str(caught.value)

