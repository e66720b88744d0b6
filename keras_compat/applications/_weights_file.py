"""Pretrained weights of ``keras.applications``: found in the Keras cache, never downloaded.

Keras 1.2.2 downloaded each model's HDF5 file into ``~/.keras/models/`` under a name that
says which image dim ordering and which backend's kernels it holds
(``vgg16_weights_th_dim_ordering_th_kernels.h5``). keras_compat reads that same file from
that same folder (``$KERAS_HOME/models`` when ``KERAS_HOME`` is set) and, when it is not
there, raises an error naming the expected path and the URL the user can fetch it from.

Loading goes through ``Model.load_weights`` with ``original_backend`` set to the kind of
kernels the file holds, so a file of Theano kernels gives the same outputs in a model that
emulates TensorFlow (the kernels are flipped) and the other way round, which is what Keras
1.2.2 did with ``convert_all_kernels_in_model`` after loading.
"""
import collections
import os
import warnings

from keras_compat.applications.imagenet_utils import _obtain_input_shape
from keras_compat.backend import config
from keras_compat.utils import data_utils

__all__ = ["WeightsFile", "ImageNetWeights", "from_origin", "check_weights_argument", "locate",
           "load", "warn_theano_ordering"]

# fname: the file name Keras 1.2.2 cached it under; origin: the URL it downloaded it from;
# md5_hash: the checksum Keras 1.2.2 checked (None where it checked none); kernels: the
# backend whose convolution kernels the file holds ('theano' or 'tensorflow').
WeightsFile = collections.namedtuple("WeightsFile", "fname origin md5_hash kernels")

CACHE_SUBDIR = "models"


def from_origin(origin, kernels, md5_hash=None):
    """The entry for a file cached under the last part of its URL, as every Keras 1.2.2
    application file was."""
    return WeightsFile(origin.rsplit("/", 1)[1], origin, md5_hash, kernels)


def ordering_origins(release, stem):
    """The URLs of one model's four ImageNet files, named as Keras 1.2.2 named them:
    ``(th, tf, th without top, tf without top)``."""
    return tuple("%s%s_weights_%s_dim_ordering_%s_kernels%s.h5" % (release, stem, o, o, top)
                 for top in ("", "_notop") for o in ("th", "tf"))


def ordering_files(origins, md5_hashes=(None, None, None, None)):
    """``(image_dim_ordering, include_top) -> WeightsFile`` for ``ordering_origins``' four
    files (th files hold Theano kernels, tf files TensorFlow kernels)."""
    keys = (("th", True), ("tf", True), ("th", False), ("tf", False))
    return {key: from_origin(origin, "theano" if key[0] == "th" else "tensorflow", md5)
            for key, origin, md5 in zip(keys, origins, md5_hashes)}


def check_weights_argument(weights, include_top, classes, pretrained, trained_on, top_classes):
    """Keras 1.2.2's checks of ``weights``/``classes``, with its messages."""
    if weights not in {pretrained, None}:
        raise ValueError("The `weights` argument should be either `None` (random initialization) "
                         "or `%s` (pre-training on %s)." % (pretrained, trained_on))
    if weights == pretrained and include_top and classes != top_classes:
        raise ValueError("If using `weights` as %s with `include_top` as true, `classes` should "
                         "be %d" % (pretrained, top_classes))


def locate(model_name, weights, entry):
    """The path of ``entry``'s file in the Keras cache; a clear error when it is missing."""
    try:
        return data_utils.get_file(entry.fname, entry.origin, md5_hash=entry.md5_hash,
                                   cache_subdir=CACHE_SUBDIR)
    except FileNotFoundError:
        expected = os.path.join(data_utils.cache_dir(CACHE_SUBDIR), entry.fname)
        raise FileNotFoundError(
            "%s(weights=%r) needs the pretrained weights file %r (the one Keras 1.2.2 used with "
            "image_dim_ordering=%r), expected at %s. keras_compat never downloads: download it "
            "from %s and save it at that path."
            % (model_name, weights, entry.fname, config.image_dim_ordering(), expected,
               entry.origin)) from None


def load(model, path, entry, by_name=False):
    """Load the cached file into ``model``, converting its kernels to the emulated backend."""
    model.load_weights(path, by_name=by_name, original_backend=entry.kernels)


def warn_theano_ordering():
    """The warning Keras 1.2.2 gave when it loaded th-ordered weights under TensorFlow."""
    warnings.warn("You are using the TensorFlow backend, yet you are using the Theano image "
                  "dimension ordering convention (`image_dim_ordering=\"th\"`). For best "
                  "performance, set `image_dim_ordering=\"tf\"` in your Keras config at "
                  "~/.keras/keras.json.", stacklevel=3)


class ImageNetWeights:
    """What an ImageNet model (VGG, ResNet50, InceptionV3) does around its build, in Keras
    1.2.2's order: check ``weights``/``classes``, settle the input shape, find the weights
    file (a missing one fails before the build); then ``load_into`` the built model."""

    def __init__(self, model_name, weights_files, include_top, weights, input_shape, classes,
                 default_size, min_size):
        check_weights_argument(weights, include_top, classes, "imagenet", "ImageNet", 1000)
        self.ordering = config.image_dim_ordering()
        self.input_shape = _obtain_input_shape(input_shape, default_size=default_size,
                                               min_size=min_size, dim_ordering=self.ordering,
                                               include_top=include_top)
        self.entry = weights_files[(self.ordering, bool(include_top))] \
            if weights == "imagenet" else None
        self.path = locate(model_name, weights, self.entry) if self.entry else None

    def load_into(self, model):
        if self.path is None:
            return
        load(model, self.path, self.entry)
        if self.ordering == "th" and config.backend() == "tensorflow":
            warn_theano_ordering()


def documented(model_name, top, min_size):
    """Decorate an ImageNet model function with its Keras-1 docstring (``top``: what
    ``include_top`` adds; ``min_size``: the smallest side without the top)."""
    def decorate(function):
        function.__doc__ = """The %s model, in the configured image_dim_ordering.

    # Arguments
        include_top: whether to add %s on top.
        weights: None (random initialisation) or ``'imagenet'`` (the pretrained file from
            ``~/.keras/models/``; never downloaded).
        input_tensor: a tensor (e.g. the output of ``Input()``) to build the model on.
        input_shape: only without the top: 3 channels, sides of at least %d (None: any size).
        classes: size of the classifier; 1000 with the ImageNet weights.
    """ % (model_name, top, min_size)
        return function
    return decorate
