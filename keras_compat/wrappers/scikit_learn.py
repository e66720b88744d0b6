"""``keras.wrappers.scikit_learn``: ``KerasClassifier`` and ``KerasRegressor``.

Keras 1.2.2's wrappers, made to work inside today's scikit-learn (``GridSearchCV``,
``cross_val_score``, ``clone``, pipelines): when scikit-learn is installed the classes also
derive from its ``BaseEstimator`` and ``ClassifierMixin``/``RegressorMixin`` so that
scikit-learn recognises them (stratified folds for classifiers, estimator tags).
scikit-learn itself stays optional: without it the wrappers still fit, predict and score.

``build_fn`` is a function (or an object with ``__call__``) returning a compiled model; with
``build_fn=None`` the subclass' own ``__call__`` builds it.  Every other keyword argument
(``sk_params``) must be an argument of ``build_fn``, ``Sequential.fit``, ``predict``,
``predict_classes`` or ``evaluate``; each call receives the ones it accepts.
"""
import inspect
import types

import numpy as np

from keras_compat.models import Sequential
from keras_compat.utils.np_utils import to_categorical

try:
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import ClassifierMixin as _ClassifierMixin
    from sklearn.base import RegressorMixin as _RegressorMixin
except ImportError:  # scikit-learn is optional
    _Base = object

    class _ClassifierMixin(object):
        pass

    class _RegressorMixin(object):
        pass

__all__ = ["BaseWrapper", "KerasClassifier", "KerasRegressor"]


def _arg_names(fn):
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return []
    return [name for name, p in parameters.items()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _loss_name(model):
    loss = getattr(model, "loss", None)
    return getattr(loss, "__name__", loss)


class BaseWrapper(_Base):
    """Shared machinery of the two wrappers (``get_params``/``set_params``/``fit``)."""

    def __init__(self, build_fn=None, **sk_params):
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def _build_callable(self):
        if self.build_fn is None:
            return self.__call__
        if isinstance(self.build_fn, (types.FunctionType, types.MethodType)):
            return self.build_fn
        return self.build_fn.__call__

    def check_params(self, params):
        """Raise ``ValueError`` for a parameter no relevant function accepts."""
        legal = set()
        for fn in (Sequential.fit, Sequential.predict, Sequential.predict_classes,
                   Sequential.evaluate, self._build_callable()):
            legal.update(_arg_names(fn))
        for name in params:
            if name not in legal:
                raise ValueError("{} is not a legal parameter".format(name))

    def get_params(self, deep=True):
        """``build_fn`` and every ``sk_param`` (the values themselves: ``clone`` copies them)."""
        params = dict(self.sk_params)
        params["build_fn"] = self.build_fn
        return params

    def set_params(self, **params):
        if "build_fn" in params:
            self.build_fn = params.pop("build_fn")
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def filter_sk_params(self, fn, override=None):
        """The ``sk_params`` that ``fn`` accepts, updated with ``override``."""
        names = set(_arg_names(fn))
        result = {name: value for name, value in self.sk_params.items() if name in names}
        result.update(override or {})
        return result

    def fit(self, x, y, **kwargs):
        """Build a fresh model with ``build_fn`` and train it; returns the ``History``."""
        build = self._build_callable()
        self.model = build(**self.filter_sk_params(build))
        if not hasattr(self.model, "fit"):
            raise TypeError("build_fn must return a compiled Keras model, got %r" % (self.model,))
        y = np.asarray(y)
        if _loss_name(self.model) == "categorical_crossentropy" and y.ndim != 2:
            y = to_categorical(y)
        fit_args = self.filter_sk_params(Sequential.fit)
        fit_args.update(kwargs)
        return self.model.fit(x, y, **fit_args)


class KerasClassifier(_ClassifierMixin, BaseWrapper):
    """scikit-learn classifier around a Keras model (classes may be any sortable labels)."""

    def fit(self, x, y, **kwargs):
        y = np.array(y)
        if y.ndim == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
        elif (y.ndim == 2 and y.shape[1] == 1) or y.ndim == 1:
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y)
        else:
            raise ValueError("Invalid shape for y: " + str(y.shape))
        self.n_classes_ = len(self.classes_)
        return super().fit(x, y, **kwargs)

    def predict(self, x, **kwargs):
        kwargs = self.filter_sk_params(Sequential.predict_classes, kwargs)
        classes = self.model.predict_classes(x, **kwargs)
        return self.classes_[np.ravel(classes)]

    def predict_proba(self, x, **kwargs):
        kwargs = self.filter_sk_params(Sequential.predict_proba, kwargs)
        probs = self.model.predict_proba(x, **kwargs)
        if probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        return probs

    def score(self, x, y, **kwargs):
        """The model's accuracy on ``(x, y)`` (it must be compiled with ``metrics=['accuracy']``)."""
        y = np.searchsorted(self.classes_, np.asarray(y))
        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        if _loss_name(self.model) == "categorical_crossentropy" and y.ndim != 2:
            y = to_categorical(y, self.n_classes_)
        outputs = self.model.evaluate(x, y, **kwargs)
        if not isinstance(outputs, list):
            outputs = [outputs]
        for name, output in zip(self.model.metrics_names, outputs):
            if name == "acc":
                return output
        raise ValueError("The model is not configured to compute accuracy. You should pass "
                         "`metrics=[\"accuracy\"]` to the `model.compile()` method.")


class KerasRegressor(_RegressorMixin, BaseWrapper):
    """scikit-learn regressor around a Keras model; ``score`` is the loss (lower is better)."""

    def predict(self, x, **kwargs):
        kwargs = self.filter_sk_params(Sequential.predict, kwargs)
        return np.squeeze(self.model.predict(x, **kwargs))

    def score(self, x, y, **kwargs):
        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        loss = self.model.evaluate(x, y, **kwargs)
        return loss[0] if isinstance(loss, list) else loss
