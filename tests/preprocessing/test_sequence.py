"""keras_compat.preprocessing.sequence against arrays made by real Keras 1.2.2."""
import random

import numpy as np
import pytest

from keras_compat.preprocessing import sequence

import reference_data


@pytest.fixture(scope="module")
def ref():
    return reference_data.oracle("preprocessing_cases")


def test_pad_sequences_all_options_match_keras1(ref):
    seqs = [[1, 2, 3, 4, 5], [6, 7], [], [8, 9, 10]]
    for pad in ("pre", "post"):
        for trunc in ("pre", "post"):
            got = sequence.pad_sequences(seqs, maxlen=3, padding=pad, truncating=trunc, value=-1)
            np.testing.assert_array_equal(got, ref["pad_%s_%s" % (pad, trunc)])
            assert got.dtype == np.int32
    np.testing.assert_array_equal(sequence.pad_sequences(seqs), ref["pad_default"])
    got = sequence.pad_sequences([[0.5, 1.5], [2.5]], dtype="float32", value=0.25)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, ref["pad_float"])
    got = sequence.pad_sequences([np.ones((2, 3)), np.ones((4, 3)) * 2], maxlen=3)
    assert got.shape == (2, 3, 3)
    np.testing.assert_array_equal(got, ref["pad_feat"])


def test_pad_sequences_defaults_keep_last_items():
    got = sequence.pad_sequences([[1, 2, 3, 4]], maxlen=2)
    np.testing.assert_array_equal(got, [[3, 4]])
    np.testing.assert_array_equal(sequence.pad_sequences([[5]], maxlen=3), [[0, 0, 5]])


def test_pad_sequences_bad_input_is_clear():
    with pytest.raises(ValueError, match="position 1 cannot be converted"):
        sequence.pad_sequences([[1, 2], ["a", "b", "c"]])
    with pytest.raises(ValueError, match="ragged inside"):
        sequence.pad_sequences([[1, [2, 3]], [4]])
    with pytest.raises(ValueError, match="no length"):
        sequence.pad_sequences([1, 2, 3])
    with pytest.raises(ValueError, match="padding type"):
        sequence.pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="truncating type"):
        sequence.pad_sequences([[1]], truncating="both")
    with pytest.raises(ValueError, match="expected shape"):
        sequence.pad_sequences([np.ones((2, 3)), np.ones((2, 4))])


def test_make_sampling_table_matches_keras1(ref):
    np.testing.assert_allclose(sequence.make_sampling_table(20), ref["sampling_table"], rtol=1e-12)


def test_skipgrams_seeded_match_keras1(ref):
    random.seed(1234)
    couples, labels = sequence.skipgrams([0, 1, 2, 3, 4, 5, 0, 6], 10, window_size=2)
    np.testing.assert_array_equal(np.array(couples), ref["skip_couples"])
    np.testing.assert_array_equal(np.array(labels), ref["skip_labels"])
    random.seed(7)
    couples, labels = sequence.skipgrams([1, 2, 3, 4, 5, 6], 8, window_size=1, negative_samples=0.5,
                                         categorical=True, sampling_table=np.linspace(0.2, 1, 8))
    np.testing.assert_array_equal(np.array(couples), ref["skipcat_couples"])
    np.testing.assert_array_equal(np.array(labels), ref["skipcat_labels"])


def test_skipgrams_never_uses_index_zero():
    couples, labels = sequence.skipgrams([0, 3, 0, 4, 5], 6, window_size=3, shuffle=False)
    assert all(0 not in c for c in couples)
    positives = [c for c, l in zip(couples, labels) if l == 1]
    assert [3, 4] in positives and [5, 4] in positives
    assert labels.count(0) == labels.count(1)
