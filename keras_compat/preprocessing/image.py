"""Image preprocessing and real-time augmentation (Keras-1 ``keras.preprocessing.image``).

Keras 1.2.2 semantics: random parameters are drawn from NumPy's global RNG in Keras 1's order
(rotation, height shift, width shift, shear, zoom x/y, channel shift per channel, horizontal flip,
vertical flip), the affine matrix is ``rotation . translation . shear . zoom`` taken about the
image centre ``size / 2 + 0.5``, resampled nearest-neighbour (``order=0``) per channel. A seeded
run therefore draws the same parameters and gives the same pixels as Keras 1. SciPy's
``ndimage.affine_transform`` is used when SciPy is installed (as Keras 1 did); otherwise an
equivalent NumPy nearest-neighbour warp with the same ``fill_mode`` rules. ``fill_mode='reflect'``
always uses the NumPy warp, which reproduces SciPy < 1.6 (Keras 1's era): newer SciPy rounds
fractional coordinates near the edges differently.

# Differences from Keras 1
    ``flow_from_directory`` on a missing or image-less folder raises a clear error instead of
    failing later; the ``fill_mode`` value is checked when the generator is built.
"""
import os
import re
import threading
import warnings

import numpy as np

from keras_compat.backend import config

try:
    from PIL import Image as pil_image
except ImportError:  # pragma: no cover - Pillow is a dependency
    pil_image = None

try:
    import scipy.ndimage as _ndi
except ImportError:  # pragma: no cover - exercised through _affine_numpy in the tests
    _ndi = None

__all__ = [
    "random_rotation", "random_shift", "random_shear", "random_zoom", "random_channel_shift",
    "transform_matrix_offset_center", "apply_transform", "flip_axis", "array_to_img", "img_to_array",
    "load_img", "list_pictures", "ImageDataGenerator", "Iterator", "NumpyArrayIterator",
    "DirectoryIterator",
]

FILL_MODES = ("constant", "nearest", "reflect", "wrap")
_WHITE_LIST_FORMATS = ("png", "jpg", "jpeg", "bmp")


def _check_fill_mode(fill_mode):
    if fill_mode not in FILL_MODES:
        raise ValueError("fill_mode must be one of %s, got %r" % (", ".join(FILL_MODES), fill_mode))


def _ordering(dim_ordering, who):
    if dim_ordering == "default":
        dim_ordering = config.image_dim_ordering()
    if dim_ordering not in ("tf", "th"):
        raise ValueError('%s: dim_ordering should be "tf" (channel after row and column) or "th" '
                         '(channel before row and column), got %r' % (who, dim_ordering))
    return dim_ordering


# ----------------------------------------------------------------------------- affine warps

def _nearest_index(coords, n, fill_mode):
    """Integer source indices (and a validity mask for 'constant') matching SciPy's order=0 rules."""
    if fill_mode == "wrap":
        # SciPy's legacy 'wrap' (what Keras 1 got): period n - 1 on the coordinate itself.
        period = n - 1 if n > 1 else 1
        coords = np.where((coords < 0) | (coords > n - 1), np.mod(coords, period), coords)
    if fill_mode == "reflect":
        # SciPy before 1.6 (what Keras 1 ran on): reflect the float coordinate about the edges
        # (period 2n), round, and mirror an index that rounding pushed out of range.
        period = 2 * n
        coords = np.where(coords < -period, coords + period * np.trunc(-coords / period), coords)
        coords = np.where(coords < 0, np.where(coords < -n, coords + period, -coords - 1), coords)
        coords = np.where(coords > n - 1, coords - period * np.trunc(coords / period), coords)
        coords = np.where(coords >= n, period - coords - 1, coords)
        index = np.floor(coords + 0.5).astype(np.int64)
        index = np.where(index > n - 1, 2 * (n - 1) - index, index)
        index = np.where(index < 0, -index, index)
        return np.clip(index, 0, n - 1), None
    index = np.floor(coords + 0.5).astype(np.int64)
    valid = (coords >= 0) & (coords <= n - 1) if fill_mode == "constant" else None
    return np.clip(index, 0, n - 1), valid


def _affine_numpy(image, matrix, offset, fill_mode, cval):
    """Nearest-neighbour ``out[o] = image[matrix . o + offset]`` for one 2-D channel."""
    h, w = image.shape
    rows, cols = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    src_r = matrix[0, 0] * rows + matrix[0, 1] * cols + offset[0]
    src_c = matrix[1, 0] * rows + matrix[1, 1] * cols + offset[1]
    ri, rvalid = _nearest_index(src_r, h, fill_mode)
    ci, cvalid = _nearest_index(src_c, w, fill_mode)
    out = image[ri, ci]
    if fill_mode == "constant":
        out = np.where(rvalid & cvalid, out, np.asarray(cval, dtype=out.dtype))
    return out.astype(image.dtype, copy=False)


def _affine_channel(image, matrix, offset, fill_mode, cval):
    # SciPy 1.6 changed order-0 'reflect' at fractional coordinates; keep Keras 1's result.
    if _ndi is not None and fill_mode != "reflect":
        return _ndi.affine_transform(image, matrix, offset, order=0, mode=fill_mode, cval=cval)
    return _affine_numpy(image, matrix, offset, fill_mode, cval)


def transform_matrix_offset_center(matrix, x, y):
    """Conjugate a 3x3 homogeneous matrix so that it acts about the centre ``(x/2 + 0.5, y/2 + 0.5)``."""
    o_x = float(x) / 2 + 0.5
    o_y = float(y) / 2 + 0.5
    offset_matrix = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset_matrix = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return np.dot(np.dot(offset_matrix, matrix), reset_matrix)


def apply_transform(x, transform_matrix, channel_axis=0, fill_mode="nearest", cval=0.):
    """Warp every channel of a 3-D image by ``transform_matrix`` (output -> input coordinates)."""
    _check_fill_mode(fill_mode)
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError("apply_transform expects a single 3-D image, got shape %s" % (x.shape,))
    x = np.rollaxis(x, channel_axis, 0)
    matrix = transform_matrix[:2, :2]
    offset = transform_matrix[:2, 2]
    channels = [_affine_channel(ch, matrix, offset, fill_mode, cval) for ch in x]
    return np.rollaxis(np.stack(channels, axis=0), 0, channel_axis + 1)


def flip_axis(x, axis):
    """Reverse ``x`` along ``axis``."""
    x = np.asarray(x).swapaxes(axis, 0)
    return x[::-1, ...].swapaxes(0, axis)


def _rotation_matrix(theta):
    return np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])


def _shear_matrix(shear):
    return np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])


def _zoom_matrix(zx, zy):
    return np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.):
    """Rotate by a uniform angle in ``[-rg, rg]`` degrees about the centre."""
    theta = np.pi / 180 * np.random.uniform(-rg, rg)
    h, w = x.shape[row_axis], x.shape[col_axis]
    matrix = transform_matrix_offset_center(_rotation_matrix(theta), h, w)
    return apply_transform(x, matrix, channel_axis, fill_mode, cval)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.):
    """Shift by uniform fractions ``hrg`` of the height and ``wrg`` of the width (height drawn first)."""
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    matrix = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    return apply_transform(x, matrix, channel_axis, fill_mode, cval)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.):
    """Shear by a uniform angle in ``[-intensity, intensity]`` radians about the centre."""
    shear = np.random.uniform(-intensity, intensity)
    h, w = x.shape[row_axis], x.shape[col_axis]
    matrix = transform_matrix_offset_center(_shear_matrix(shear), h, w)
    return apply_transform(x, matrix, channel_axis, fill_mode, cval)


def _check_zoom_pair(zoom_range):
    try:
        ok = len(zoom_range) == 2
    except TypeError:
        ok = False
    if not ok:
        raise ValueError("zoom_range should be a tuple or list of two floats. Received arg: %r" % (zoom_range,))


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.):
    """Zoom rows and columns by two independent uniform factors in ``zoom_range``."""
    _check_zoom_pair(zoom_range)
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    h, w = x.shape[row_axis], x.shape[col_axis]
    matrix = transform_matrix_offset_center(_zoom_matrix(zx, zy), h, w)
    return apply_transform(x, matrix, channel_axis, fill_mode, cval)


def random_channel_shift(x, intensity, channel_axis=0):
    """Add one uniform offset in ``[-intensity, intensity]`` per channel, clipped to the image's range."""
    x = np.rollaxis(np.asarray(x), channel_axis, 0)
    min_x, max_x = np.min(x), np.max(x)
    channels = [np.clip(ch + np.random.uniform(-intensity, intensity), min_x, max_x) for ch in x]
    return np.rollaxis(np.stack(channels, axis=0), 0, channel_axis + 1)


# ----------------------------------------------------------------------------- PIL conversions

def _need_pil(who):
    if pil_image is None:
        raise ImportError("Could not import PIL.Image. The use of `%s` requires Pillow." % who)


def array_to_img(x, dim_ordering="default", scale=True):
    """A 3-D array (1 or 3 channels) as a PIL image; ``scale`` maps the array's range onto 0..255."""
    _need_pil("array_to_img")
    x = np.asarray(x, dtype=config.floatx())
    if x.ndim != 3:
        raise ValueError("array_to_img: expected image array to have rank 3 (single image), got shape %s"
                         % (x.shape,))
    dim_ordering = _ordering(dim_ordering, "array_to_img")
    if dim_ordering == "th":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x + max(-np.min(x), 0)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    if x.shape[2] == 3:
        return pil_image.fromarray(x.astype("uint8"), "RGB")
    if x.shape[2] == 1:
        return pil_image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError("array_to_img: unsupported channel number: %d" % x.shape[2])


def img_to_array(img, dim_ordering="default"):
    """A PIL image as a float array ``(rows, cols, channels)`` (``tf``) or ``(channels, rows, cols)``."""
    dim_ordering = _ordering(dim_ordering, "img_to_array")
    x = np.asarray(img, dtype=config.floatx())
    if x.ndim == 3:
        if dim_ordering == "th":
            x = x.transpose(2, 0, 1)
    elif x.ndim == 2:
        x = x.reshape((1,) + x.shape) if dim_ordering == "th" else x.reshape(x.shape + (1,))
    else:
        raise ValueError("img_to_array: unsupported image shape %s" % (x.shape,))
    return x


def load_img(path, grayscale=False, target_size=None):
    """Load an image as RGB (or ``L`` when ``grayscale``), resized to ``target_size=(height, width)``."""
    _need_pil("load_img")
    if not os.path.isfile(path):
        raise FileNotFoundError("load_img: no image file at %s" % (path,))
    img = pil_image.open(path)
    img = img.convert("L" if grayscale else "RGB")
    if target_size:
        img = img.resize((target_size[1], target_size[0]))
    return img


def list_pictures(directory, ext="jpg|jpeg|bmp|png"):
    """Paths of the files under ``directory`` whose names match ``word.ext``."""
    pattern = re.compile(r"([\w]+\.(?:" + ext + "))")
    return [os.path.join(root, f) for root, _, files in os.walk(directory) for f in files
            if pattern.match(f)]


# ----------------------------------------------------------------------------- the generator

class ImageDataGenerator(object):
    """Real-time data augmentation for image batches (Keras 1.2.2 options and defaults).

    # Arguments
        featurewise_center, featurewise_std_normalization: per-channel statistics from ``fit``.
        samplewise_center, samplewise_std_normalization: per image (Keras 1.2.2 reduces over the
            channel axis only).
        zca_whitening: ZCA matrix from ``fit`` (SVD of the covariance, ``1e-6`` regulariser).
        rotation_range: degrees; width_shift_range, height_shift_range: fractions of the size;
        shear_range: radians; zoom_range: float ``z`` (meaning ``[1 - z, 1 + z]``) or a pair;
        channel_shift_range: offset range; fill_mode: constant|nearest|reflect|wrap; cval;
        horizontal_flip, vertical_flip; rescale: factor applied first in ``standardize`` (after
        ``preprocessing_function``); dim_ordering: 'tf', 'th' or 'default' (the configured one).
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, rotation_range=0., width_shift_range=0., height_shift_range=0.,
                 shear_range=0., zoom_range=0., channel_shift_range=0., fill_mode="nearest", cval=0.,
                 horizontal_flip=False, vertical_flip=False, rescale=None, preprocessing_function=None,
                 dim_ordering="default"):
        dim_ordering = _ordering(dim_ordering, "ImageDataGenerator")
        _check_fill_mode(fill_mode)
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.dim_ordering = dim_ordering
        if dim_ordering == "th":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2
        self.mean = None
        self.std = None
        self.principal_components = None
        if np.isscalar(zoom_range):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        else:
            try:
                ok = len(zoom_range) == 2
            except TypeError:
                ok = False
            if not ok:
                raise ValueError("zoom_range should be a float or a tuple or list of two floats. "
                                 "Received arg: %r" % (zoom_range,))
            self.zoom_range = [zoom_range[0], zoom_range[1]]

    def flow(self, X, y=None, batch_size=32, shuffle=True, seed=None, save_to_dir=None, save_prefix="",
             save_format="jpeg"):
        """An endless iterator of augmented ``(batch_x, batch_y)`` (or ``batch_x`` when ``y`` is None)."""
        return NumpyArrayIterator(X, y, self, batch_size=batch_size, shuffle=shuffle, seed=seed,
                                  dim_ordering=self.dim_ordering, save_to_dir=save_to_dir,
                                  save_prefix=save_prefix, save_format=save_format)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                            save_to_dir=None, save_prefix="", save_format="jpeg", follow_links=False):
        """An endless iterator over the images in ``directory/<class>/...`` (one sub-folder per class)."""
        return DirectoryIterator(directory, self, target_size=target_size, color_mode=color_mode,
                                 classes=classes, class_mode=class_mode, dim_ordering=self.dim_ordering,
                                 batch_size=batch_size, shuffle=shuffle, seed=seed,
                                 save_to_dir=save_to_dir, save_prefix=save_prefix,
                                 save_format=save_format, follow_links=follow_links)

    def _unfit(self, option):
        warnings.warn("This ImageDataGenerator specifies `%s`, but it hasn't been fit on any training "
                      "data. Fit it first by calling `.fit(numpy_data)`." % option)

    def standardize(self, x):
        """Normalize one image (in place where Keras 1 did): preprocessing_function, rescale,
        samplewise then featurewise centering/normalization, then ZCA."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        img_channel_axis = self.channel_axis - 1
        if self.samplewise_center:
            x -= np.mean(x, axis=img_channel_axis, keepdims=True)
        if self.samplewise_std_normalization:
            x /= (np.std(x, axis=img_channel_axis, keepdims=True) + 1e-7)
        if self.featurewise_center:
            if self.mean is not None:
                x -= self.mean
            else:
                self._unfit("featurewise_center")
        if self.featurewise_std_normalization:
            if self.std is not None:
                x /= (self.std + 1e-7)
            else:
                self._unfit("featurewise_std_normalization")
        if self.zca_whitening:
            if self.principal_components is not None:
                whitex = np.dot(np.reshape(x, (x.size,)), self.principal_components)
                x = np.reshape(whitex, x.shape)
            else:
                self._unfit("zca_whitening")
        return x

    def random_transform(self, x):
        """One random affine warp, channel shift and flips of a single 3-D image."""
        img_row_axis = self.row_axis - 1
        img_col_axis = self.col_axis - 1
        img_channel_axis = self.channel_axis - 1
        theta = (np.pi / 180 * np.random.uniform(-self.rotation_range, self.rotation_range)
                 if self.rotation_range else 0)
        tx = (np.random.uniform(-self.height_shift_range, self.height_shift_range) * x.shape[img_row_axis]
              if self.height_shift_range else 0)
        ty = (np.random.uniform(-self.width_shift_range, self.width_shift_range) * x.shape[img_col_axis]
              if self.width_shift_range else 0)
        translation = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        matrix = np.dot(np.dot(np.dot(_rotation_matrix(theta), translation), _shear_matrix(shear)),
                        _zoom_matrix(zx, zy))
        h, w = x.shape[img_row_axis], x.shape[img_col_axis]
        matrix = transform_matrix_offset_center(matrix, h, w)
        x = apply_transform(x, matrix, img_channel_axis, fill_mode=self.fill_mode, cval=self.cval)
        if self.channel_shift_range != 0:
            x = random_channel_shift(x, self.channel_shift_range, img_channel_axis)
        if self.horizontal_flip and np.random.random() < 0.5:
            x = flip_axis(x, img_col_axis)
        if self.vertical_flip and np.random.random() < 0.5:
            x = flip_axis(x, img_row_axis)
        return x

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Compute the featurewise mean/std and the ZCA matrix from a 4-D sample array."""
        x = np.asarray(x, dtype=config.floatx())
        if x.ndim != 4:
            raise ValueError("Input to `.fit()` should have rank 4. Got array with shape: %s" % (x.shape,))
        if x.shape[self.channel_axis] not in (1, 3, 4):
            raise ValueError(
                'Expected input to be images (as Numpy array) following the dimension ordering '
                'convention "%s" (channels on axis %d), i.e. expected either 1, 3 or 4 channels on axis '
                '%d. However, it was passed an array with shape %s (%d channels).'
                % (self.dim_ordering, self.channel_axis, self.channel_axis, x.shape,
                   x.shape[self.channel_axis]))
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if augment:
            ax = np.zeros((rounds * x.shape[0],) + x.shape[1:], dtype=config.floatx())
            for r in range(rounds):
                for i in range(x.shape[0]):
                    ax[i + r * x.shape[0]] = self.random_transform(x[i])
            x = ax
        broadcast_shape = [1, 1, 1]
        broadcast_shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=(0, self.row_axis, self.col_axis)), broadcast_shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=(0, self.row_axis, self.col_axis)), broadcast_shape)
            x /= (self.std + config.epsilon())
        if self.zca_whitening:
            flat_x = np.reshape(x, (x.shape[0], x.shape[1] * x.shape[2] * x.shape[3]))
            sigma = np.dot(flat_x.T, flat_x) / flat_x.shape[0]
            u, s, _ = np.linalg.svd(sigma)
            self.principal_components = np.dot(np.dot(u, np.diag(1. / np.sqrt(s + 1e-6))), u.T)


class Iterator(object):
    """Endless, thread-safe batch index generator (Keras 1 batching: the last batch of an epoch
    is short; ``seed`` reseeds NumPy's RNG with ``seed + total_batches_seen`` before each batch)."""

    def __init__(self, n, batch_size, shuffle, seed):
        if n <= 0:
            raise ValueError("%s: there are no samples to iterate over (n=%d)" % (type(self).__name__, n))
        if batch_size <= 0:
            raise ValueError("%s: batch_size must be > 0, got %r" % (type(self).__name__, batch_size))
        self.n = n
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_generator = self._flow_index(n, batch_size, shuffle, seed)

    def reset(self):
        self.batch_index = 0

    def _flow_index(self, n, batch_size=32, shuffle=False, seed=None):
        self.reset()
        index_array = np.arange(n)
        while True:
            if seed is not None:
                np.random.seed(seed + self.total_batches_seen)
            if self.batch_index == 0:
                index_array = np.random.permutation(n) if shuffle else np.arange(n)
            current_index = (self.batch_index * batch_size) % n
            if n >= current_index + batch_size:
                current_batch_size = batch_size
                self.batch_index += 1
            else:
                current_batch_size = n - current_index
                self.batch_index = 0
            self.total_batches_seen += 1
            yield (index_array[current_index: current_index + current_batch_size],
                   current_index, current_batch_size)

    def __iter__(self):
        return self

    def __next__(self, *args, **kwargs):
        return self.next(*args, **kwargs)

    def _save_batch(self, batch_x, current_index):
        for i in range(len(batch_x)):
            img = array_to_img(batch_x[i], self.dim_ordering, scale=True)
            fname = "{prefix}_{index}_{hash}.{format}".format(
                prefix=self.save_prefix, index=current_index + i, hash=np.random.randint(10000),
                format=self.save_format)
            img.save(os.path.join(self.save_to_dir, fname))


class NumpyArrayIterator(Iterator):
    """Batches of augmented images from a 4-D array (1, 3 or 4 channels)."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, seed=None,
                 dim_ordering="default", save_to_dir=None, save_prefix="", save_format="jpeg"):
        if y is not None and len(x) != len(y):
            raise ValueError("X (images tensor) and y (labels) should have the same length. "
                             "Found: X.shape = %s, y.shape = %s" % (np.asarray(x).shape, np.asarray(y).shape))
        dim_ordering = _ordering(dim_ordering, "NumpyArrayIterator")
        self.x = np.asarray(x, dtype=config.floatx())
        if self.x.ndim != 4:
            raise ValueError("Input data in `NumpyArrayIterator` should have rank 4. You passed an array "
                             "with shape %s" % (self.x.shape,))
        channels_axis = 3 if dim_ordering == "tf" else 1
        if self.x.shape[channels_axis] not in (1, 3, 4):
            raise ValueError(
                'NumpyArrayIterator is set to use the dimension ordering convention "%s" (channels on '
                'axis %d), i.e. expected either 1, 3 or 4 channels on axis %d. However, it was passed an '
                'array with shape %s (%d channels).'
                % (dim_ordering, channels_axis, channels_axis, self.x.shape, self.x.shape[channels_axis]))
        self.y = np.asarray(y) if y is not None else None
        self.image_data_generator = image_data_generator
        self.dim_ordering = dim_ordering
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super(NumpyArrayIterator, self).__init__(self.x.shape[0], batch_size, shuffle, seed)

    def next(self):
        with self.lock:
            index_array, current_index, current_batch_size = next(self.index_generator)
        batch_x = np.zeros((current_batch_size,) + self.x.shape[1:], dtype=config.floatx())
        for i, j in enumerate(index_array):
            x = self.image_data_generator.random_transform(self.x[j].astype(config.floatx()))
            batch_x[i] = self.image_data_generator.standardize(x)
        if self.save_to_dir:
            self._save_batch(batch_x, current_index)
        if self.y is None:
            return batch_x
        return batch_x, self.y[index_array]


def _is_image_file(fname):
    lower = fname.lower()
    return any(lower.endswith("." + ext) for ext in _WHITE_LIST_FORMATS)


class DirectoryIterator(Iterator):
    """Batches of augmented images read from ``directory/<class>/**/*.{png,jpg,jpeg,bmp}``.

    Classes are the sorted sub-folder names (or ``classes``); prints
    ``Found N images belonging to K classes.``. ``class_mode``: categorical (one-hot float),
    binary (float), sparse (int) or None (images only).
    """

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb",
                 dim_ordering="default", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, save_to_dir=None, save_prefix="", save_format="jpeg",
                 follow_links=False):
        dim_ordering = _ordering(dim_ordering, "DirectoryIterator")
        if not os.path.isdir(directory):
            raise FileNotFoundError("flow_from_directory: the folder %r does not exist (expected one "
                                    "sub-folder of images per class)" % (directory,))
        if color_mode not in ("rgb", "grayscale"):
            raise ValueError('Invalid color mode: %r; expected "rgb" or "grayscale".' % (color_mode,))
        if class_mode not in ("categorical", "binary", "sparse", None):
            raise ValueError('Invalid class_mode: %r; expected one of "categorical", "binary", '
                             '"sparse", or None.' % (class_mode,))
        self.directory = directory
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.color_mode = color_mode
        self.dim_ordering = dim_ordering
        channels = (3,) if color_mode == "rgb" else (1,)
        self.image_shape = self.target_size + channels if dim_ordering == "tf" else channels + self.target_size
        self.class_mode = class_mode
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format

        if not classes:
            classes = [d for d in sorted(os.listdir(directory)) if os.path.isdir(os.path.join(directory, d))]
        self.nb_class = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        self.filenames = []
        labels = []
        for subdir in classes:
            subpath = os.path.join(directory, subdir)
            walked = sorted(os.walk(subpath, followlinks=follow_links), key=lambda tpl: tpl[0])
            for root, _, files in walked:
                for fname in files:
                    if _is_image_file(fname):
                        labels.append(self.class_indices[subdir])
                        self.filenames.append(os.path.relpath(os.path.join(root, fname), directory))
        self.nb_sample = len(self.filenames)
        self.classes = np.array(labels, dtype="int32")
        print("Found %d images belonging to %d classes." % (self.nb_sample, self.nb_class))
        if self.nb_sample == 0:
            raise ValueError("flow_from_directory: no images (%s) found in the class sub-folders of %r "
                             "(classes: %s)" % (", ".join(_WHITE_LIST_FORMATS), directory,
                                               ", ".join(classes) or "none"))
        super(DirectoryIterator, self).__init__(self.nb_sample, batch_size, shuffle, seed)

    def next(self):
        with self.lock:
            index_array, current_index, current_batch_size = next(self.index_generator)
        batch_x = np.zeros((current_batch_size,) + self.image_shape, dtype=config.floatx())
        grayscale = self.color_mode == "grayscale"
        for i, j in enumerate(index_array):
            img = load_img(os.path.join(self.directory, self.filenames[j]), grayscale=grayscale,
                           target_size=self.target_size)
            x = img_to_array(img, dim_ordering=self.dim_ordering)
            x = self.image_data_generator.random_transform(x)
            batch_x[i] = self.image_data_generator.standardize(x)
        if self.save_to_dir:
            self._save_batch(batch_x, current_index)
        if self.class_mode == "sparse":
            return batch_x, self.classes[index_array]
        if self.class_mode == "binary":
            return batch_x, self.classes[index_array].astype(config.floatx())
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.nb_class), dtype=config.floatx())
            for i, label in enumerate(self.classes[index_array]):
                batch_y[i, label] = 1.
            return batch_x, batch_y
        return batch_x
