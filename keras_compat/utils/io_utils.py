"""``keras.utils.io_utils``: ``HDF5Matrix``, a NumPy-like view on an HDF5 dataset;
``save_array``/``load_array`` (one array in an HDF5 file) and ``ask_to_proceed_with_overwrite``."""
from collections import defaultdict

import numpy as np

try:
    import h5py
except ImportError:  # h5py is optional
    h5py = None

from keras_compat.saving.overwrite import ask_to_proceed_with_overwrite as ask_to_proceed_with_overwrite

__all__ = ["HDF5Matrix", "save_array", "load_array", "ask_to_proceed_with_overwrite"]


class HDF5Matrix(object):
    """Rows ``start:end`` of the dataset ``dataset`` in the HDF5 file ``datapath``.

    Usable in place of a NumPy array for ``fit``/``predict`` input; indexing by int, slice,
    list or integer array goes through to HDF5 (offset by ``start``).

    # Arguments
        datapath: the HDF5 file (opened read-only once per path and shared, as Keras 1 did).
        dataset: the dataset's name inside the file.
        start, end: the row range (``end=None``: to the end of the dataset).
        normalizer: optional function applied to every slice read.

    # Differences from Keras 1
        The file is opened read-only (Keras 1 used h5py's old default, read/write);
        ``np.asarray(matrix)`` reads the whole range in one go; open slices (``m[:10]``,
        ``m[5:]``) work.
    """

    refs = defaultdict(int)

    def __init__(self, datapath, dataset, start=0, end=None, normalizer=None):
        if h5py is None:
            raise ImportError("The use of HDF5Matrix requires HDF5 and h5py installed "
                              "(pip install h5py).")
        if datapath not in self.refs:
            try:
                self.refs[datapath] = h5py.File(datapath, "r")
            except (OSError, IOError) as exc:
                raise IOError("HDF5Matrix cannot open %r as an HDF5 file: %s" % (datapath, exc))
        handle = self.refs[datapath]
        if dataset not in handle:
            raise KeyError("HDF5Matrix: %r has no dataset %r (it has: %s)"
                           % (datapath, dataset, ", ".join(sorted(handle.keys()))))
        self.data = handle[dataset]
        self.start = start
        self.end = self.data.shape[0] if end is None else end
        if not 0 <= self.start <= self.end <= self.data.shape[0]:
            raise ValueError("HDF5Matrix: rows %d:%d are outside dataset %r of %d rows"
                             % (self.start, self.end, dataset, self.data.shape[0]))
        self.normalizer = normalizer

    def __len__(self):
        return self.end - self.start

    def _row(self, index):
        index = int(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("HDF5Matrix index %d out of range for %d rows" % (index, len(self)))
        return index + self.start

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            idx = slice(start + self.start, max(stop, start) + self.start, step)
        elif isinstance(key, (int, np.integer)):
            idx = self._row(key)
        elif isinstance(key, (list, np.ndarray)):
            idx = [self._row(i) for i in np.asarray(key).ravel()]
        else:
            raise TypeError("HDF5Matrix indices must be int, slice, list or array, not %s"
                            % type(key).__name__)
        values = self.data[idx]
        return self.normalizer(values) if self.normalizer is not None else values

    def __array__(self, dtype=None, copy=None):
        values = np.asarray(self[:])
        return values if dtype is None else values.astype(dtype)

    @property
    def shape(self):
        return (self.end - self.start,) + tuple(self.data.shape[1:])

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return len(self.data.shape)


def _require_h5py(function):
    if h5py is None:
        raise ImportError("The use of `%s` requires h5py (pip install keras-compat[hdf5]); "
                          "Keras 1 used the tables module for it" % function)


def save_array(array, name):
    """Write ``array`` to the HDF5 file ``name`` as the dataset ``/data``, the layout Keras 1's
    PyTables writer made (with PyTables' ``CARRAY`` attributes, so PyTables reads it too)."""
    _require_h5py("save_array")
    array = np.asarray(array)
    with h5py.File(name, "w") as handle:
        dataset = handle.create_dataset("data", data=array)
        dataset.attrs["CLASS"] = np.bytes_("CARRAY")
        dataset.attrs["VERSION"] = np.bytes_("1.1")
        dataset.attrs["TITLE"] = np.bytes_("")


def load_array(name):
    """The array :func:`save_array` (or Keras 1, through PyTables) stored in ``name``."""
    _require_h5py("load_array")
    with h5py.File(name, "r") as handle:
        if "data" not in handle:
            raise ValueError("load_array: %s has no '/data' array (not written by save_array)"
                             % (name,))
        return handle["data"][()]
