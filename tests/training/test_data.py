"""keras_compat.training.data: Keras 1.2.2's batching, shuffling, validation split and weights.

Reference: tests/data/oracle/trainer_theano.json ("helpers"), made by
tools/oracle_cases/trainer_cases.py from keras.engine.training of real Keras 1.2.2.
"""
import numpy as np
import pytest
import torch

from keras_compat.training import data

import reference_data

HELPERS = reference_data.load_json("oracle", "trainer_theano.json")["helpers"]
Y_BINARY = np.array([[0], [1], [1], [0]], "float32")


@pytest.mark.parametrize("key", sorted(HELPERS["make_batches"]))
def test_batch_ranges_are_keras1_make_batches(key):
    n, batch_size = (int(v) for v in key.split(","))
    assert [list(r) for r in data.batch_ranges(n, batch_size)] == HELPERS["make_batches"][key]


def test_shuffle_draws_the_same_order_from_numpys_global_rng():
    np.random.seed(7)
    assert data.epoch_order(np.arange(10), True, 3).tolist() == HELPERS["shuffle_10"]
    np.random.seed(7)
    assert data.epoch_order(np.arange(10), "batch", 3).tolist() == HELPERS["batch_shuffle_10_3"]
    np.random.seed(7)
    assert data.batch_shuffle(np.arange(10), 3).tolist() == HELPERS["batch_shuffle_10_3"]


@pytest.mark.parametrize("shuffle", [True, "batch"])
def test_each_epoch_shuffles_the_previous_epochs_order(shuffle):
    # Keras 1.2.2 shuffles one index array again every epoch: the second epoch's order is the
    # first one's permuted by the second draw, not a fresh permutation of arange(n).
    np.random.seed(7)
    first = data.epoch_order(np.arange(10), shuffle, 3)
    second = data.epoch_order(first, shuffle, 3)
    np.random.seed(7)
    data.epoch_order(np.arange(10), shuffle, 3)
    permutation = data.epoch_order(np.arange(10), shuffle, 3)
    assert second.tolist() == first[permutation].tolist()


def test_no_shuffle_keeps_the_order_and_draws_nothing():
    np.random.seed(7)
    assert data.epoch_order(np.arange(10), False, 3) is None
    np.random.seed(7)
    expected = np.random.rand()
    np.random.seed(7)
    data.epoch_order(np.arange(10), False, 3)
    assert np.random.rand() == expected


@pytest.mark.parametrize("split", sorted(HELPERS["split_at"]))
def test_validation_split_index(split):
    assert data.validation_split_index(10, float(split)) == HELPERS["split_at"][split]


def test_class_weights_follow_the_argmax_or_the_binary_label():
    onehot = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], "float32")
    got = data.sample_weights_for(onehot, class_weight={0: 1., 1: 2., 2: 3.})
    assert got.tolist() == HELPERS["class_weight_onehot"]
    got = data.sample_weights_for(Y_BINARY, class_weight={0: .5, 1: 4.})
    assert got.tolist() == HELPERS["class_weight_binary"]


def test_sample_weights_win_over_class_weights_and_none_means_ones():
    got = data.sample_weights_for(Y_BINARY, sample_weight=[1, 2, 3, 4], class_weight={0: 9., 1: 9.})
    assert got.dtype == np.float32 and got.tolist() == HELPERS["sample_weight"]
    # Keras 1 returned ones; the trainer takes None as "all ones" (a plain mean).
    assert HELPERS["no_weights"] == [1.0] * 4
    assert data.sample_weights_for(Y_BINARY) is None


def test_weight_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"sample_weight array with shape \(3,\) for an input with "
                                         r"shape \(4, 1\)"):
        data.sample_weights_for(Y_BINARY, sample_weight=[1, 2, 3])
    with pytest.raises(ValueError, match="sample_weight_mode='temporal'"):
        data.sample_weights_for(Y_BINARY, sample_weight=np.ones((4, 2)))
    with pytest.raises(ValueError, match="you should pass a 2D sample_weight"):
        data.sample_weights_for(np.ones((4, 3, 2)), sample_weight=np.ones(4), temporal=True)
    with pytest.raises(KeyError, match="class_weight has no entry for class 1"):
        data.sample_weights_for(Y_BINARY, class_weight={0: 1.})
    with pytest.raises(ValueError, match="class_weight not supported for 3\\+ dimensional targets"):
        data.sample_weights_for(np.ones((4, 3, 2)), class_weight={0: 1.})


def test_as_array_accepts_keras1_containers():
    x = np.arange(6, dtype="float32").reshape(3, 2)
    assert data.as_array([x], "input") is x
    assert data.as_array({"in": x}, "input") is x
    assert data.as_array(torch.from_numpy(x), "input").tolist() == x.tolist()
    assert data.as_array([1, 2, 3], "target").shape == (3, 1)  # 1-D becomes a column
    with pytest.raises(ValueError, match=r"single input; got a dict with keys \['a', 'b'\]"):
        data.as_array({"a": x, "b": x}, "input")


def test_shape_checks_use_keras1_messages():
    x = np.zeros((3, 4))
    data.check_array_shape(x, (None, 4), "dense_input_1", "input")
    with pytest.raises(ValueError, match="Error when checking model input: expected dense_input_1 to "
                                         "have 3 dimensions, but got array with shape \\(3, 4\\)"):
        data.check_array_shape(x, (None, 4, 2), "dense_input_1", "input")
    with pytest.raises(ValueError, match="expected dense_input_1 to have shape \\(None, 5\\) but got "
                                         "array with shape \\(3, 4\\)"):
        data.check_array_shape(x, (None, 5), "dense_input_1", "input")
    with pytest.raises(ValueError, match="Found 3 input samples and 2 target samples"):
        data.check_same_length(x, np.zeros((2, 1)))


def test_loss_and_target_checks():
    with pytest.raises(ValueError, match="`categorical_crossentropy` expects targets to be binary"):
        data.check_loss_and_target("categorical_crossentropy", np.zeros((4, 1)), (None, 3))
    with pytest.raises(ValueError, match="This loss expects targets to have the same shape as the "
                                         "output"):
        data.check_loss_and_target("binary_crossentropy", np.zeros((4, 2)), (None, 3))
    data.check_loss_and_target("mse", np.zeros((4, 2)), (None, 3))
    assert data.target_shape_for("sparse_categorical_crossentropy", (None, 5, 3)) == (None, 5, 1)
    assert data.target_shape_for("mse", (None, 3)) == (None, 3)
