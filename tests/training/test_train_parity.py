"""Training parity with real Keras 1.2.2: history and weights after ``fit`` (train_* cases).

Reference arrays: tests/data/oracle/{inputs,theano}/train_*.npz, copied from
../shared/oracle/ref (Theano backend, whose updates are the exact Keras-1 rules).
"""

import numpy as np
import pytest

from keras_compat import optimizers
from keras_compat.optimizers import _fused_kernels
from keras_compat.layers import Activation, Dense
from keras_compat.models import Sequential

import reference_data


OPTIMIZERS = {
    "sgd_nesterov": lambda: optimizers.SGD(lr=0.01, momentum=0.9, nesterov=True),
    "sgd_plain_decay": lambda: optimizers.SGD(lr=0.1, decay=0.01),
    "rmsprop": lambda: optimizers.RMSprop(lr=0.001),
    "adagrad": lambda: optimizers.Adagrad(lr=0.01),
    "adadelta": lambda: optimizers.Adadelta(),
    "adam": lambda: optimizers.Adam(lr=0.001),
    "adamax": lambda: optimizers.Adamax(lr=0.002),
    "nadam": lambda: optimizers.Nadam(lr=0.002),
}

MLP_CASES = ["train_mlp_cce_%s" % name for name in sorted(OPTIMIZERS)] + [
    "train_mlp_mse_sgd", "train_mlp_bce_adam", "train_mlp_scce_rmsprop"]


def _small_mlp(output_activation):
    model = Sequential()
    model.add(Dense(8, input_dim=6))
    model.add(Activation("relu"))
    model.add(Dense(3))
    model.add(Activation(output_activation))
    return model


def _check_training(model, case, atol=1e-5):
    recorded = reference_data.oracle(case)
    inputs, ref, meta, weights = recorded.inputs, recorded, recorded.meta, recorded.weights
    train = meta["train"]
    model.set_weights(weights)
    model.compile(loss=train["loss"], optimizer=OPTIMIZERS[train["opt"]](), metrics=["accuracy"])
    x, y = inputs["x_0"], inputs["y_true"]
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), ref["y_before"], atol=atol)
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=train["batch_size"], verbose=0),
                               ref["evaluate_before"], atol=atol)
    history = model.fit(x, y, nb_epoch=train["nb_epoch"], batch_size=train["batch_size"],
                        shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], ref["history_loss"], atol=atol)
    np.testing.assert_allclose(history.history["acc"], ref["history_acc"], atol=atol)
    for i, weight in enumerate(model.get_weights()):
        np.testing.assert_allclose(weight, ref["w_after_%02d" % i], atol=atol,
                                   err_msg="weight %d after training" % i)
    np.testing.assert_allclose(model.predict(x, batch_size=len(x)), ref["y_after"], atol=atol)
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=train["batch_size"], verbose=0),
                               ref["evaluate_after"], atol=atol)


@pytest.mark.parametrize("fused", [True, False], ids=["fused-kernels", "multi-tensor"])
@pytest.mark.parametrize("case", MLP_CASES)
def test_mlp_training_matches_keras1(case, fused):
    # Adam, RMSprop and Adagrad run one-pass fused kernels on CPU by default; both paths
    # must reproduce Keras 1.
    loss = case.split("_")[2]
    activation = {"mse": "linear", "bce": "sigmoid"}.get(loss, "softmax")
    _fused_kernels.set_fused_kernels(fused)
    try:
        _check_training(_small_mlp(activation), case)
    finally:
        _fused_kernels.set_fused_kernels(True)


def test_convnet_with_batchnorm_training_matches_keras1():
    from keras_compat.layers import convolutional, normalization, pooling
    from keras_compat.backend import config
    from keras_compat.layers import Flatten
    config.set_backend("theano")
    model = Sequential([
        convolutional.Convolution2D(4, 3, 3, border_mode="same", input_shape=(3, 12, 12),
                                    dim_ordering="th"),
        Activation("relu"), pooling.MaxPooling2D((2, 2), dim_ordering="th"),
        normalization.BatchNormalization(axis=1), Flatten(), Dense(3), Activation("softmax")])
    _check_training(model, "train_convnet_th_bn_sgd", atol=1e-4)
