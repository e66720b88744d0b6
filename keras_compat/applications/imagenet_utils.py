"""``keras.applications.imagenet_utils``: ImageNet input preprocessing and class decoding.

``preprocess_input`` turns RGB images into what the Caffe-trained VGG16/VGG19/ResNet50
weights expect: channels reversed to BGR, then the ImageNet mean pixel subtracted per
channel. As in Keras 1.2.2 it works on the caller's array: the result is a channel-reversed
view of ``x`` and the subtraction happens in place, so ``x`` itself changes.

``decode_predictions`` reads the class index (``imagenet_class_index.json``) from the Keras
cache (``~/.keras/models/``) once and keeps it in ``CLASS_INDEX``; it never downloads.
"""
import json


from keras_compat.backend import config
from keras_compat.utils import data_utils

__all__ = ["preprocess_input", "decode_predictions"]

CLASS_INDEX = None
CLASS_INDEX_PATH = "https://s3.amazonaws.com/deep-learning-models/image-models/imagenet_class_index.json"
CLASS_INDEX_FILE = "imagenet_class_index.json"

# The ImageNet mean pixel, in BGR channel order (the order after the channel swap).
BGR_MEAN_PIXEL = (103.939, 116.779, 123.68)
IMAGENET_CLASSES = 1000


def _resolve_ordering(dim_ordering, function):
    if dim_ordering == "default":
        dim_ordering = config.image_dim_ordering()
    if dim_ordering not in ("tf", "th"):
        raise ValueError("%s: dim_ordering must be 'tf', 'th' or 'default', not %r"
                         % (function, dim_ordering))
    return dim_ordering


def preprocess_input(x, dim_ordering="default"):
    """A batch of RGB images (4D NumPy array, floats) made ready for the ImageNet models.

    # Arguments
        x: 4D array, ``(samples, rows, cols, 3)`` for ``'tf'``, ``(samples, 3, rows, cols)`` for
            ``'th'``; changed in place.
        dim_ordering: ``'tf'``, ``'th'`` or ``'default'`` (the configured image_dim_ordering).
    """
    dim_ordering = _resolve_ordering(dim_ordering, "preprocess_input")
    if getattr(x, "ndim", None) != 4:
        raise ValueError("preprocess_input expects a 4D NumPy array (a batch of images), got %r"
                         % (getattr(x, "shape", type(x).__name__),))
    channel_axis = 1 if dim_ordering == "th" else 3
    reverse = [slice(None)] * 4
    reverse[channel_axis] = slice(None, None, -1)
    x = x[tuple(reverse)]
    for channel, mean in enumerate(BGR_MEAN_PIXEL):
        index = [slice(None)] * 4
        index[channel_axis] = channel
        x[tuple(index)] -= mean
    return x


def _class_index():
    global CLASS_INDEX
    if CLASS_INDEX is None:
        path = data_utils.get_file(CLASS_INDEX_FILE, CLASS_INDEX_PATH, cache_subdir="models")
        with open(path) as handle:
            CLASS_INDEX = json.load(handle)
    return CLASS_INDEX


def decode_predictions(preds, top=5):
    """The ``top`` classes of each sample, best first, as ``(class_name, description, score)``.

    # Arguments
        preds: 2D array of shape ``(samples, 1000)``.
        top: how many classes to return per sample.
    """
    if len(preds.shape) != 2 or preds.shape[1] != IMAGENET_CLASSES:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array of "
                         "shape (samples, 1000)). Found array with shape: " + str(preds.shape))
    index = _class_index()
    results = []
    for pred in preds:
        best = pred.argsort()[-top:][::-1]
        row = [tuple(index[str(i)]) + (pred[i],) for i in best]
        row.sort(key=lambda entry: entry[2], reverse=True)
        results.append(row)
    return results


def _obtain_input_shape(input_shape, default_size, min_size, dim_ordering, include_top):
    """The input shape of an ImageNet model, checked as Keras 1.2.2 checked it.

    With the classifier on top the shape is fixed (``default_size`` square, 3 channels);
    without it any 3-channel shape whose known sides are at least ``min_size`` goes, and
    None gives unknown rows and columns.
    """
    th = dim_ordering == "th"
    default_shape = (3, default_size, default_size) if th else (default_size, default_size, 3)
    if include_top:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError("When setting`include_top=True`, `input_shape` should be "
                             + str(default_shape) + ".")
        return default_shape
    if input_shape is None:
        return (3, None, None) if th else (None, None, 3)
    if len(input_shape) != 3:
        raise ValueError("`input_shape` must be a tuple of three integers.")
    channels = input_shape[0] if th else input_shape[-1]
    sides = input_shape[1:] if th else input_shape[:2]
    if channels != 3:
        raise ValueError("The input must have 3 channels; got `input_shape=" + str(input_shape)
                         + "`")
    if any(side is not None and side < min_size for side in sides):
        raise ValueError("Input size must be at least " + str(min_size) + "x" + str(min_size)
                         + ", got `input_shape=" + str(input_shape) + "`")
    return input_shape
