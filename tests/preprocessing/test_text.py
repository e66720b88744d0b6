"""keras_compat.preprocessing.text against arrays made by real Keras 1.2.2."""

import numpy as np
import pytest

from keras_compat.preprocessing import text

import reference_data

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Cat and dog; cat, dog & bird",
         "A\tnew\nline -- with (punctuation)"]


@pytest.fixture(scope="module")
def ref():
    data = reference_data.oracle("preprocessing_cases")
    return data, data.meta


def test_tokenizer_matches_keras1(ref):
    arrays, meta = ref
    tok = text.Tokenizer(nb_words=8)
    tok.fit_on_texts(TEXTS)
    assert tok.word_index == meta["word_index"]
    assert tok.word_counts == meta["word_counts"]
    assert tok.texts_to_sequences(TEXTS + ["unknown cat words"]) == meta["sequences"]
    for mode in ("binary", "count", "tfidf", "freq"):
        np.testing.assert_allclose(tok.texts_to_matrix(TEXTS, mode=mode), arrays["tok_" + mode], rtol=1e-12)
    assert text.text_to_word_sequence(TEXTS[3] + " It's OK") == meta["words"]


def test_sequences_to_matrix_after_fit_on_sequences(ref):
    arrays, _ = ref
    tok = text.Tokenizer(nb_words=5)
    tok.fit_on_sequences([[1, 2, 2], [2, 3]])
    assert tok.document_count == 2 and tok.index_docs == {1: 1, 2: 2, 3: 1}
    np.testing.assert_allclose(tok.sequences_to_matrix([[1, 2, 2, 9], [3]], mode="tfidf"), arrays["seq_tfidf"])
    np.testing.assert_allclose(tok.sequences_to_matrix([[1, 2, 2, 9], [3]], mode="freq"), arrays["seq_freq"])


def test_word_index_ranks_by_descending_count_ties_first_seen():
    tok = text.Tokenizer()
    tok.fit_on_texts(["b a c a", "c c d"])
    assert tok.word_index == {"c": 1, "a": 2, "b": 3, "d": 4}
    assert tok.word_docs == {"a": 1, "b": 1, "c": 2, "d": 1}
    assert tok.texts_to_matrix(["a a z"], mode="count").tolist() == [[0, 0, 2, 0, 0]]
    # document_count restarts on each fit_on_texts call (Keras 1.2.2), counts accumulate.
    tok.fit_on_texts(["d"])
    assert tok.document_count == 1 and tok.word_counts["d"] == 2


def test_char_level_and_one_hot():
    tok = text.Tokenizer(char_level=True)
    tok.fit_on_texts(["abca"])
    assert tok.word_index["a"] == 1
    assert tok.texts_to_sequences(["ab"]) == [[1, tok.word_index["b"]]]
    codes = text.one_hot("Hello, world hello", 10)
    assert len(codes) == 3 and codes[0] == codes[2] and all(1 <= c <= 9 for c in codes)


def test_text_bad_input_is_clear():
    tok = text.Tokenizer()
    with pytest.raises(ValueError, match="fit on some text data first"):
        tok.sequences_to_matrix([[1]])
    with pytest.raises(ValueError, match="tfidf"):
        text.Tokenizer(nb_words=3).sequences_to_matrix([[1]], mode="tfidf")
    tok.fit_on_texts(["a b"])
    with pytest.raises(ValueError, match="unknown vectorization mode 'bogus'"):
        tok.texts_to_matrix(["a"], mode="bogus")
    with pytest.raises(TypeError, match="list of texts"):
        tok.fit_on_texts("a single string")
    with pytest.raises(ValueError, match="fit_on_texts before"):
        text.Tokenizer().texts_to_sequences(["a"])
