"""Reading the pickled cache files with errors that name the file."""
import gzip
import pickle
import zlib

import numpy as np

from keras_compat.utils.data_utils import DatasetFormatError


def load_pickle(path, encoding="ASCII", what="dataset"):
    """Unpickle ``path`` (gzip-opened when its name ends in ``.gz``), never modifying it."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            return pickle.load(handle, encoding=encoding)
    except (EOFError, pickle.UnpicklingError, OSError, zlib.error, ValueError, TypeError,
            AttributeError, ImportError, IndexError, KeyError, UnicodeDecodeError) as err:
        raise DatasetFormatError(
            "Could not read the %s file %s: it is truncated or not in the format Keras 1.2.2 "
            "cached (%s: %s). Delete it and place a complete copy there." % (what, path, type(err).__name__, err))


def bad_format(path, expected):
    return DatasetFormatError("The dataset file %s is not in the format Keras 1.2.2 cached: expected %s."
                              % (path, expected))


def as_int_lists(path, seqs, expected):
    """A list of Python int lists, or a DatasetFormatError naming ``path``."""
    try:
        return [[int(w) for w in seq] for seq in seqs]
    except (TypeError, ValueError):
        raise bad_format(path, expected)


def sequences_array(seqs):
    """``np.array(list_of_lists)`` as NumPy 1.12 built it: 2-D when all lengths agree, else 1-D object."""
    if seqs and len(set(len(s) for s in seqs)) == 1:
        return np.array(seqs)
    out = np.empty(len(seqs), dtype=object)
    for i, seq in enumerate(seqs):
        out[i] = seq
    return out


def index_and_filter(xs, labels, nb_words, skip_top, maxlen, start_char, oov_char, index_from):
    """The Keras 1.2.2 word-index pipeline shared by ``imdb`` and ``reuters``.

    Prepend ``start_char``, shift indices by ``index_from``, keep only sequences *shorter than*
    ``maxlen``, and map words ``>= nb_words`` or ``< skip_top`` to ``oov_char``. With
    ``oov_char=None`` Keras 1.2.2 kept only those out-of-range words (an inverted filter); that
    is reproduced.
    """
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    if maxlen:
        kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
        xs = [x for x, _ in kept]
        labels = [y for _, y in kept]
    if not xs:
        raise ValueError("After filtering for sequences shorter than maxlen=%s, no sequence was kept. "
                         "Increase maxlen." % (maxlen,))
    if not nb_words:
        nb_words = max(max(x) for x in xs if x) if any(xs) else 0
    if oov_char is not None:
        xs = [[oov_char if (w >= nb_words or w < skip_top) else w for w in x] for x in xs]
    else:
        xs = [[w for w in x if w >= nb_words or w < skip_top] for x in xs]
    return xs, labels
