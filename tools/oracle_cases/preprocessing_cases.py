"""Reference arrays for keras.preprocessing and the imdb/reuters loaders, made with REAL Keras 1.2.2.

Run under the oracle (Python 3.6, Keras 1.2.2):
    python tools/fake_keras_datasets.py --dest /tmp/pp_fake --size tiny --only imdb,reuters
    PP_FAKE=/tmp/pp_fake /work/shared/oracle/run_keras1.sh tools/oracle_cases/preprocessing_cases.py OUT.npz
The dataset loaders are pointed at the stand-in files (their MD5 differs from the real ones, so
get_file is bypassed: everything after it runs as shipped).
"""
import hashlib
import json
import os
import random
import sys

import numpy as np
from keras.preprocessing import image, sequence, text
from keras.datasets import imdb, reuters

out = {}
meta = {}

# --- sequence
seqs = [[1, 2, 3, 4, 5], [6, 7], [], [8, 9, 10]]
for pad in ("pre", "post"):
    for trunc in ("pre", "post"):
        out["pad_%s_%s" % (pad, trunc)] = sequence.pad_sequences(seqs, maxlen=3, padding=pad, truncating=trunc, value=-1)
out["pad_default"] = sequence.pad_sequences(seqs)
out["pad_float"] = sequence.pad_sequences([[0.5, 1.5], [2.5]], dtype="float32", value=0.25)
out["pad_feat"] = sequence.pad_sequences([np.ones((2, 3)), np.ones((4, 3)) * 2], maxlen=3)
out["sampling_table"] = sequence.make_sampling_table(20)
random.seed(1234)
couples, labels = sequence.skipgrams([0, 1, 2, 3, 4, 5, 0, 6], 10, window_size=2)
out["skip_couples"] = np.array(couples)
out["skip_labels"] = np.array(labels)
random.seed(7)
couples, labels = sequence.skipgrams([1, 2, 3, 4, 5, 6], 8, window_size=1, negative_samples=0.5,
                                     categorical=True, sampling_table=np.linspace(0.2, 1, 8))
out["skipcat_couples"] = np.array(couples)
out["skipcat_labels"] = np.array(labels)

# --- text
texts = ["The cat sat on the mat.", "The dog ate my homework!", "Cat and dog; cat, dog & bird",
         "A\tnew\nline -- with (punctuation)"]
tok = text.Tokenizer(nb_words=8)
tok.fit_on_texts(texts)
meta["word_index"] = tok.word_index
meta["word_counts"] = tok.word_counts
meta["sequences"] = tok.texts_to_sequences(texts + ["unknown cat words"])
meta["words"] = text.text_to_word_sequence(texts[3] + " It's OK")
for mode in ("binary", "count", "tfidf", "freq"):
    out["tok_" + mode] = tok.texts_to_matrix(texts, mode=mode)
tok2 = text.Tokenizer()
tok2.fit_on_sequences([[1, 2, 2], [2, 3]])
out["seq_tfidf"] = tok2.sequences_to_matrix([[1, 2, 2, 9], [3]], mode="tfidf") if tok2.nb_words else np.zeros(0)
tok3 = text.Tokenizer(nb_words=5)
tok3.fit_on_sequences([[1, 2, 2], [2, 3]])
out["seq_tfidf"] = tok3.sequences_to_matrix([[1, 2, 2, 9], [3]], mode="tfidf")
out["seq_freq"] = tok3.sequences_to_matrix([[1, 2, 2, 9], [3]], mode="freq")

# --- image
rng = np.random.RandomState(3)
img_tf = rng.uniform(0, 255, size=(9, 11, 3)).astype("float32")
for mode in ("nearest", "constant", "reflect", "wrap"):
    gen = image.ImageDataGenerator(rotation_range=30, width_shift_range=0.2, height_shift_range=0.1,
                                   shear_range=0.3, zoom_range=0.2, channel_shift_range=20,
                                   fill_mode=mode, cval=7., horizontal_flip=True, vertical_flip=True,
                                   dim_ordering="tf")
    np.random.seed(11)
    out["rt_tf_" + mode] = np.stack([gen.random_transform(img_tf.copy()) for _ in range(4)])
gen = image.ImageDataGenerator(rotation_range=45, zoom_range=[0.8, 1.3], shear_range=0.5, dim_ordering="th")
np.random.seed(12)
out["rt_th"] = np.stack([gen.random_transform(img_tf.transpose(2, 0, 1).copy()) for _ in range(3)])
np.random.seed(13)
out["rand_rotation"] = image.random_rotation(img_tf, 40, 0, 1, 2)
out["rand_shift"] = image.random_shift(img_tf, 0.2, 0.3, 0, 1, 2, fill_mode="constant", cval=1.)
out["rand_shear"] = image.random_shear(img_tf, 0.4, 0, 1, 2, fill_mode="reflect")
out["rand_zoom"] = image.random_zoom(img_tf, (0.7, 1.2), 0, 1, 2, fill_mode="wrap")
out["rand_chshift"] = image.random_channel_shift(img_tf, 30., 2)

batch = rng.uniform(0, 1, size=(60, 3, 4, 3)).astype("float32")  # full-rank covariance for ZCA
gen = image.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True,
                               zca_whitening=True, samplewise_center=True,
                               samplewise_std_normalization=True, rescale=2.0, dim_ordering="tf")
gen.fit(batch, augment=False)
out["fit_mean"] = gen.mean
out["fit_std"] = gen.std
out["fit_pc"] = gen.principal_components.astype("float32")
out["standardized"] = np.stack([gen.standardize(b.copy()) for b in batch[:6]])
gen_aug = image.ImageDataGenerator(featurewise_center=True, rotation_range=20, dim_ordering="tf")
gen_aug.fit(batch[:6], augment=True, rounds=2, seed=5)
out["fit_aug_mean"] = gen_aug.mean
flowgen = image.ImageDataGenerator(horizontal_flip=True, width_shift_range=0.3, dim_ordering="tf")
it = flowgen.flow(batch[:6], np.arange(6), batch_size=4, shuffle=True, seed=21)
for k in range(3):
    bx, by = next(it)
    out["flow_x%d" % k] = bx
    out["flow_y%d" % k] = by

# --- datasets on the stand-in files
fake = os.environ["PP_FAKE"]
imdb.get_file = lambda fname, origin, md5_hash=None, **kw: os.path.join(fake, fname)
reuters.get_file = lambda fname, origin, **kw: os.path.join(fake, fname)
for fname in ("imdb_full.pkl", "reuters.pkl"):
    with open(os.path.join(fake, fname), "rb") as handle:
        meta["md5_" + fname] = hashlib.md5(handle.read()).hexdigest()


def store(prefix, seqs):
    # Lengths and per-sequence sums of every sequence, the first five sequences in full (kept small).
    out[prefix + "_len"] = np.array([len(s) for s in seqs], dtype="int32")
    out[prefix + "_sum"] = np.array([sum(s) for s in seqs], dtype="int64")
    out[prefix + "_head"] = np.array([w for s in seqs[:5] for w in s], dtype="int32")


cases = {
    "imdb_default": (imdb, {}),
    "imdb_opts": (imdb, dict(nb_words=300, skip_top=5, seed=42, start_char=7, oov_char=9, index_from=2)),
    "imdb_maxlen": (imdb, dict(maxlen=150)),
    "imdb_nostart": (imdb, dict(start_char=None, index_from=4, nb_words=100)),
    "imdb_oovnone": (imdb, dict(oov_char=None, nb_words=200, skip_top=3)),
    "reuters_default": (reuters, {}),
    "reuters_opts": (reuters, dict(nb_words=100, skip_top=2, maxlen=80, test_split=0.3, seed=3)),
}
for name, (mod, kwargs) in cases.items():
    (xa, ya), (xb, yb) = mod.load_data(**kwargs)
    store(name + "_xtr", list(xa))
    store(name + "_xte", list(xb))
    out[name + "_ytr"] = np.array(ya)
    out[name + "_yte"] = np.array(yb)
    meta[name + "_types"] = [type(xa).__name__, type(ya).__name__]

out["meta"] = np.array(json.dumps(meta))
np.savez_compressed(sys.argv[1], **out)
print("wrote", sys.argv[1], len(out), "arrays")
