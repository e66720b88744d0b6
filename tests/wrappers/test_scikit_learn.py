"""``keras.wrappers.scikit_learn`` inside today's scikit-learn."""
import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.base import clone, is_classifier, is_regressor  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402

from keras_compat.layers import Activation, Dense  # noqa: E402
from keras_compat.models import Sequential  # noqa: E402
from keras_compat.wrappers.scikit_learn import KerasClassifier, KerasRegressor  # noqa: E402


def build_classifier(hidden=8, nb_class=3):
    model = Sequential([Dense(hidden, input_dim=4), Activation("relu"), Dense(nb_class),
                        Activation("softmax")])
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    return model


def build_regressor(hidden=8):
    model = Sequential([Dense(hidden, input_dim=4), Activation("relu"), Dense(1)])
    model.compile("adam", "mse")
    return model


def _classification(n=90):
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, size=n)
    x = (rng.normal(size=(n, 4)) * 0.3 + y[:, None]).astype("float32")
    return x, np.array(["a", "b", "c"])[y]


def test_classifier_fit_predict_score_with_string_labels():
    x, y = _classification()
    clf = KerasClassifier(build_classifier, nb_epoch=30, batch_size=16, verbose=0)
    assert is_classifier(clf)
    clf.fit(x, y)
    assert list(clf.classes_) == ["a", "b", "c"] and clf.n_classes_ == 3
    assert set(clf.predict(x)) <= {"a", "b", "c"}
    proba = clf.predict_proba(x)
    assert proba.shape == (90, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert clf.score(x, y) > 0.5  # chance is 1/3


def test_cross_val_score_and_grid_search():
    x, y = _classification()
    clf = KerasClassifier(build_classifier, nb_epoch=10, batch_size=16, verbose=0)
    scores = cross_val_score(clf, x, y, cv=3)
    assert scores.shape == (3,) and np.all((scores >= 0) & (scores <= 1))
    grid = GridSearchCV(clf, {"hidden": [2, 8], "nb_epoch": [5, 20]}, cv=2)
    grid.fit(x, y)
    assert set(grid.best_params_) == {"hidden", "nb_epoch"}
    assert len(grid.cv_results_["mean_test_score"]) == 4
    assert grid.best_estimator_.sk_params["hidden"] == grid.best_params_["hidden"]
    assert grid.predict(x).shape == (90,)


def test_regressor_and_clone():
    rng = np.random.RandomState(1)
    x = rng.rand(60, 4).astype("float32")
    y = x.sum(axis=1)
    reg = KerasRegressor(build_regressor, hidden=4, nb_epoch=3, batch_size=20, verbose=0)
    assert is_regressor(reg)
    twin = clone(reg)
    assert twin.get_params() == reg.get_params() and twin is not reg
    reg.fit(x, y)
    assert reg.predict(x).shape == (60,)
    loss = reg.score(x, y)
    assert loss == pytest.approx(float(np.mean((reg.predict(x) - y) ** 2)), rel=1e-4)
    scores = cross_val_score(KerasRegressor(build_regressor, nb_epoch=2, verbose=0), x, y, cv=2)
    assert scores.shape == (2,)


def test_illegal_parameter_and_missing_accuracy():
    with pytest.raises(ValueError, match="bogus is not a legal parameter"):
        KerasClassifier(build_classifier, bogus=1)
    with pytest.raises(ValueError, match="nope is not a legal parameter"):
        KerasClassifier(build_classifier).set_params(nope=2)

    def no_accuracy():
        model = Sequential([Dense(3, input_dim=4), Activation("softmax")])
        model.compile("sgd", "categorical_crossentropy")
        return model
    x, y = _classification(30)
    clf = KerasClassifier(no_accuracy, nb_epoch=1, verbose=0)
    clf.fit(x, y)
    with pytest.raises(ValueError, match="not configured to compute accuracy"):
        clf.score(x, y)


def test_build_fn_none_uses_the_subclass_call():
    class MyClassifier(KerasClassifier):
        def __call__(self, hidden=4):
            return build_classifier(hidden=hidden)
    x, y = _classification(30)
    clf = MyClassifier(hidden=5, nb_epoch=1, verbose=0)
    clf.fit(x, y)
    assert clf.model.layers[0].output_dim == 5
