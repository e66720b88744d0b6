"""``keras_compat._legacy_numpy``: removed NumPy aliases come back, one warning per alias."""
import warnings

import numpy as np
import pytest

from keras_compat import _legacy_numpy
from keras_compat._legacy_numpy import LegacyNumpyWarning


@pytest.fixture
def legacy():
    _legacy_numpy.install()
    yield
    _legacy_numpy.uninstall()


def _served_by_numpy_itself(name):
    # NumPy 1.20-1.23 still serve np.float & co. from their own __getattr__, with a
    # DeprecationWarning; asked before any test installs the legacy hook.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hasattr(np, name)


_SERVED_BY_NUMPY = {name for name in ("float", "Inf") if _served_by_numpy_itself(name)}


def _missing_in_numpy(name):
    return name not in np.__dict__ and name not in _SERVED_BY_NUMPY


def test_aliases_resolve_with_one_warning_each(legacy):
    if not _missing_in_numpy("float"):
        pytest.skip("this NumPy still has np.float")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert np.float is float
        assert np.float is float
        assert np.int is int
        assert np.object is object
        assert np.str is str
        assert np.unicode is str
        assert np.zeros(2, dtype=np.float).dtype == np.float64
    legacy_warnings = [w for w in caught if issubclass(w.category, LegacyNumpyWarning)]
    assert sorted(str(w.message).split()[0] for w in legacy_warnings) == [
        "np.float", "np.int", "np.object", "np.str", "np.unicode"]
    assert all(w.filename == __file__ for w in legacy_warnings)  # points at the caller
    assert "write float" in str(legacy_warnings[0].message)


def test_constants_functions_and_from_import(legacy):
    if not _missing_in_numpy("Inf"):
        pytest.skip("this NumPy still has np.Inf")
    with pytest.warns(LegacyNumpyWarning):
        from numpy import NaN, Inf  # noqa: F401  (PEP 562 from-import goes through __getattr__)
    assert Inf == float("inf") and NaN != NaN
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyNumpyWarning)
        assert np.NINF == -np.inf
        assert np.asscalar(np.array([7])) == 7
        assert np.product([2, 3]) == 6
        assert np.asfarray([1, 2]).dtype == np.float64
        assert np.float_ is np.float64


def test_names_numpy_still_has_are_untouched(legacy):
    assert np.float64 is np.__dict__["float64"]
    if "bool" in np.__dict__:  # NumPy 2 brought np.bool back as the NumPy bool type
        assert np.bool is np.bool_


def test_unknown_names_still_raise(legacy):
    with pytest.raises(AttributeError, match="no_such_thing"):
        np.no_such_thing


def test_uninstall_restores_numpy():
    if not _missing_in_numpy("float"):
        pytest.skip("this NumPy still has np.float")
    _legacy_numpy.install()
    _legacy_numpy.install()  # idempotent
    assert _legacy_numpy.is_installed()
    _legacy_numpy.uninstall()
    assert not _legacy_numpy.is_installed()
    with pytest.raises(AttributeError):
        np.float


def test_numpy_scalars_print_as_before_numpy_2():
    # print(model.evaluate(...)) in a 2016 script: a list of np.float32 read "[0.5, 0.25]".
    values = [np.float32(0.5), np.float32(0.25)]
    before = np.get_printoptions()
    _legacy_numpy.install()
    try:
        assert str(values) == "[0.5, 0.25]"
    finally:
        _legacy_numpy.uninstall()
    assert np.get_printoptions() == before
    if int(np.__version__.split(".")[0]) >= 2:
        assert str(values) == "[np.float32(0.5), np.float32(0.25)]"
