"""Sequence preprocessing (Keras-1 ``keras.preprocessing.sequence``).

``pad_sequences``, ``make_sampling_table`` and ``skipgrams`` with Keras 1.2.2 semantics:
pre-padding and pre-truncation by default, ``int32`` output, index 0 never used as a word.
``skipgrams`` draws from Python's ``random`` module exactly as Keras 1 did, so a run seeded
with ``random.seed`` gives the same couples and labels.
"""
import random

import numpy as np

__all__ = ["pad_sequences", "make_sampling_table", "skipgrams"]

_PAD_CHOICES = ("pre", "post")


def _sample_shape(sequences):
    for idx, seq in enumerate(sequences):
        if len(seq) > 0:
            try:
                return np.asarray(seq).shape[1:]
            except ValueError as err:
                raise ValueError("pad_sequences: sequence at position %d is ragged inside (%s); every "
                                 "item of a sequence must have the same shape" % (idx, err))
    return ()


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.):
    """Pad (or cut) every sequence to the same length ``maxlen``.

    Returns an array ``(nb_samples, maxlen) + sample_shape`` filled with ``value`` where a
    sequence is short. ``truncating='pre'`` keeps the *last* ``maxlen`` items (Keras-1 default),
    ``'post'`` the first ones; ``padding='pre'`` puts the padding in front.
    """
    if padding not in _PAD_CHOICES:
        raise ValueError('pad_sequences: padding type "%s" not understood (expected "pre" or "post")'
                         % (padding,))
    if truncating not in _PAD_CHOICES:
        raise ValueError('pad_sequences: truncating type "%s" not understood (expected "pre" or "post")'
                         % (truncating,))
    try:
        sequences = list(sequences)
        lengths = [len(seq) for seq in sequences]
    except TypeError:
        raise ValueError("pad_sequences: `sequences` must be a list of sequences (lists or arrays); "
                         "an element has no length")
    nb_samples = len(sequences)
    if maxlen is None:
        if not lengths:
            raise ValueError("pad_sequences: cannot infer maxlen from an empty list of sequences; "
                             "pass maxlen")
        maxlen = int(np.max(lengths))
    elif maxlen < 0:
        raise ValueError("pad_sequences: maxlen must be >= 0, got %r" % (maxlen,))
    sample_shape = _sample_shape(sequences)
    x = (np.ones((nb_samples, maxlen) + sample_shape) * value).astype(dtype)
    for idx, seq in enumerate(sequences):
        if not len(seq):
            continue
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        if maxlen == 0:
            kept = seq[:0]
        try:
            kept = np.asarray(kept, dtype=dtype)
        except (TypeError, ValueError) as err:
            raise ValueError("pad_sequences: sequence at position %d cannot be converted to dtype %r "
                             "(%s); every item must be numeric with the same shape" % (idx, dtype, err))
        if kept.shape[1:] != sample_shape:
            raise ValueError("pad_sequences: shape of sample %s of sequence at position %s is different "
                             "from expected shape %s" % (kept.shape[1:], idx, sample_shape))
        if len(kept) == 0:
            continue
        if padding == "post":
            x[idx, :len(kept)] = kept
        else:
            x[idx, -len(kept):] = kept
    return x


def make_sampling_table(size, sampling_factor=1e-5):
    """Word-rank based sampling probabilities for ``skipgrams`` (rank 0 is treated as rank 1).

    Keras 1.2.2 computes ``min(1, f / sqrt(f))`` with ``f = sampling_factor * zipf_inverse_freq``;
    that is ``min(1, sqrt(f))`` and is reproduced as is.
    """
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inv_fq = rank * (np.log(rank) + gamma) + 0.5 - 1. / (12. * rank)
    f = sampling_factor * inv_fq
    return np.minimum(1., f / np.sqrt(f))


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1., shuffle=True,
              categorical=False, sampling_table=None):
    """Skip-gram couples ``[word, context]`` with labels 1, plus random negative couples (label 0).

    Word index 0 is never used. ``categorical=True`` gives labels ``[0, 1]``/``[1, 0]``.
    Returns ``(couples, labels)`` as lists.
    """
    couples = []
    labels = []
    for i, wi in enumerate(sequence):
        if not wi:
            continue
        if sampling_table is not None and sampling_table[wi] < random.random():
            continue
        start = max(0, i - window_size)
        end = min(len(sequence), i + window_size + 1)
        for j in range(start, end):
            if j == i:
                continue
            wj = sequence[j]
            if not wj:
                continue
            couples.append([wi, wj])
            labels.append([0, 1] if categorical else 1)

    if negative_samples > 0:
        nb_negative = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        random.shuffle(words)
        couples += [[words[i % len(words)], random.randint(1, vocabulary_size - 1)]
                    for i in range(nb_negative)]
        labels += [[1, 0] if categorical else 0 for _ in range(nb_negative)]

    if shuffle:
        # Keras 1 reseeded with a fresh draw so couples and labels get the same permutation.
        seed = random.randint(0, 10000000)
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels
