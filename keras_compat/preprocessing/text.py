"""Text preprocessing (Keras-1 ``keras.preprocessing.text``).

``text_to_word_sequence``, ``one_hot`` and ``Tokenizer`` with Keras 1.2.2 semantics: word
indices start at 1 and rank words by descending count (ties keep first-seen order), indices
``>= nb_words`` are dropped, ``fit_on_texts`` accumulates ``word_counts``/``word_docs`` but
restarts ``document_count`` on every call (as Keras 1 did).
"""
import numpy as np

__all__ = ["FILTERS", "text_to_word_sequence", "one_hot", "Tokenizer"]

# The 31 ASCII punctuation characters other than the apostrophe, plus tab and newline.
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'

_MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(text, filters=FILTERS, lower=True, split=" "):
    """Split a text into words: every ``filters`` character becomes ``split``; empty words are dropped."""
    if not isinstance(text, str):
        raise TypeError("text_to_word_sequence expects a str, got %s" % type(text).__name__)
    if lower:
        text = text.lower()
    if filters:
        text = text.translate(str.maketrans(filters, split * len(filters)))
    return [word for word in text.split(split) if word]


def one_hot(text, n, filters=FILTERS, lower=True, split=" "):
    """Hash every word into ``[1, n - 1]`` with Python's ``hash`` (not stable across processes)."""
    if n < 2:
        raise ValueError("one_hot: n must be >= 2, got %r" % (n,))
    words = text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    return [abs(hash(word)) % (n - 1) + 1 for word in words]


class Tokenizer(object):
    """Vectorize texts into sequences of word indices or into ``(nb_samples, nb_words)`` matrices.

    # Arguments
        nb_words: keep only words whose index is ``< nb_words`` (None: all).
        filters, lower, split: as in ``text_to_word_sequence``.
        char_level: treat every character as a token.

    # Attributes
        word_counts, word_docs, word_index (1-based, by descending count), index_docs,
        document_count.
    """

    def __init__(self, nb_words=None, filters=FILTERS, lower=True, split=" ", char_level=False):
        if nb_words is not None and (not isinstance(nb_words, (int, np.integer)) or nb_words < 0):
            raise ValueError("Tokenizer: nb_words must be a non-negative int or None, got %r" % (nb_words,))
        self.word_counts = {}
        self.word_docs = {}
        self.filters = filters
        self.split = split
        self.lower = lower
        self.nb_words = nb_words
        self.document_count = 0
        self.char_level = char_level

    def _tokens(self, text):
        if self.char_level:
            return text
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Count words over a list of texts and (re)build ``word_index`` and ``index_docs``."""
        if isinstance(texts, str):
            raise TypeError("Tokenizer.fit_on_texts expects a list of texts, got a single str")
        self.document_count = 0
        for text in texts:
            self.document_count += 1
            seq = self._tokens(text)
            for word in seq:
                self.word_counts[word] = self.word_counts.get(word, 0) + 1
            for word in set(seq):
                self.word_docs[word] = self.word_docs.get(word, 0) + 1
        # sorted() is stable, so equal counts keep first-seen order.
        ranked = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        self.word_index = {word: rank for rank, (word, _) in enumerate(ranked, start=1)}
        self.index_docs = {self.word_index[word]: count for word, count in self.word_docs.items()}

    def fit_on_sequences(self, sequences):
        """Count, per index, the number of sequences containing it (needed by ``tfidf``)."""
        self.document_count = len(sequences)
        self.index_docs = {}
        for seq in sequences:
            for index in set(seq):
                self.index_docs[index] = self.index_docs.get(index, 0) + 1

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices (unknown words and indices ``>= nb_words`` dropped)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        if isinstance(texts, str):
            raise TypeError("Tokenizer.texts_to_sequences expects a list of texts, got a single str")
        word_index = getattr(self, "word_index", None)
        if word_index is None:
            raise ValueError("Tokenizer: call fit_on_texts before texts_to_sequences")
        nb_words = self.nb_words
        for text in texts:
            vect = []
            for word in self._tokens(text):
                index = word_index.get(word)
                if index is None or (nb_words and index >= nb_words):
                    continue
                vect.append(index)
            yield vect

    def texts_to_matrix(self, texts, mode="binary"):
        """``sequences_to_matrix(texts_to_sequences(texts), mode)``."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """A float64 ``(len(sequences), nb_words)`` matrix; ``mode`` in binary/count/tfidf/freq.

        ``freq`` divides by the full sequence length (out-of-range indices included), and
        ``tfidf`` is ``(1 + log(count)) * log(1 + document_count / (1 + docs_with_index))``.
        """
        if mode not in _MODES:
            raise ValueError("Tokenizer: unknown vectorization mode %r (expected one of %s)"
                             % (mode, ", ".join(_MODES)))
        if not self.nb_words:
            if getattr(self, "word_index", None):
                nb_words = len(self.word_index) + 1
            else:
                raise ValueError("Specify a dimension (nb_words argument), or fit on some text data first.")
        else:
            nb_words = self.nb_words
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")

        x = np.zeros((len(sequences), nb_words))
        index_docs = getattr(self, "index_docs", {})
        for i, seq in enumerate(sequences):
            if not len(seq):
                continue
            counts = {}
            for j in seq:
                if j >= nb_words:
                    continue
                counts[j] = counts.get(j, 0.) + 1.
            for j, c in counts.items():
                if mode == "count":
                    x[i, j] = c
                elif mode == "freq":
                    x[i, j] = c / len(seq)
                elif mode == "binary":
                    x[i, j] = 1
                else:
                    tf = 1 + np.log(c)
                    idf = np.log(1 + self.document_count / (1 + index_docs.get(j, 0)))
                    x[i, j] = tf * idf
        return x
