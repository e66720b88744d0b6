"""Reuters newswire topics (Keras-1 ``keras.datasets.reuters``) from the cached ``reuters.pkl``."""
import numpy as np

from keras_compat.datasets._io import as_int_lists, bad_format, index_and_filter, load_pickle
from keras_compat.utils.data_utils import get_file

ORIGIN = "https://s3.amazonaws.com/text-datasets/reuters.pkl"
WORD_INDEX_ORIGIN = "https://s3.amazonaws.com/text-datasets/reuters_word_index.pkl"
_EXPECTED = "a pickle of (xs, labels): a list of word-index lists and a list of topic labels"


def load_data(path="reuters.pkl", nb_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
              start_char=1, oov_char=2, index_from=3):
    """``((x_train, y_train), (x_test, y_test))`` as Python **lists** (as in Keras 1.2.2).

    One shuffle with ``np.random.seed(seed)`` (reseeds NumPy's global RNG), the ``imdb`` index
    options, then a split at ``int(len(xs) * (1 - test_split))``.
    """
    if not 0 <= test_split <= 1:
        raise ValueError("reuters.load_data: test_split must be in [0, 1], got %r" % (test_split,))
    path = get_file(path, origin=ORIGIN)
    data = load_pickle(path, encoding="latin1", what="Reuters")
    try:
        xs, labels = data
        xs, labels = list(xs), list(labels)
    except (TypeError, ValueError):
        raise bad_format(path, _EXPECTED)
    if len(xs) != len(labels):
        raise bad_format(path, _EXPECTED + " of the same length")
    xs = as_int_lists(path, xs, _EXPECTED)

    np.random.seed(seed)
    np.random.shuffle(xs)
    np.random.seed(seed)
    np.random.shuffle(labels)

    xs, labels = index_and_filter(xs, labels, nb_words, skip_top, maxlen, start_char, oov_char,
                                  index_from)
    split = int(len(xs) * (1 - test_split))
    return (xs[:split], labels[:split]), (xs[split:], labels[split:])


def get_word_index(path="reuters_word_index.pkl"):
    """The pickled ``{word: index}`` dict."""
    path = get_file(path, origin=WORD_INDEX_ORIGIN)
    data = load_pickle(path, encoding="latin1", what="Reuters word index")
    if not isinstance(data, dict):
        raise bad_format(path, "a pickled dict {word: index}")
    return data
