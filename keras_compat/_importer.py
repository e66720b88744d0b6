"""``import keras`` → keras_compat: a PEP 451 meta-path finder that aliases module objects.

``keras`` and every public ``keras.X.Y`` resolve to the *same module object* as
``keras_compat`` / ``keras_compat.X.Y``: the loader's ``create_module`` returns the real
module and ``exec_module`` does nothing, so ``sys.modules['keras.layers.core'] is
sys.modules['keras_compat.layers.core']`` and classes keep their ``keras_compat.*`` paths
(pickles and ``.pt`` files load without the hook).

Nothing happens at import time (six's import-time ``sys.meta_path.append`` is the
counter-example): call :func:`install` (or use :func:`installed`, or run a script through
``python -m keras_compat``). :func:`uninstall` reverses it.
"""
import contextlib
import importlib
import importlib.abc
import importlib.util
import sys
import threading

__all__ = [
    "DEFAULT_ALIAS",
    "DEFAULT_TARGET",
    "KerasAlreadyImportedError",
    "KerasAliasFinder",
    "UNSUPPORTED_MODULES",
    "install",
    "installed",
    "uninstall",
]

DEFAULT_ALIAS = "keras"
DEFAULT_TARGET = "keras_compat"

_GUIDE = "migration_guide/unsupported.md"

# Keras-1.2.2 modules with no keras_compat counterpart. A row applies only while the
# mirrored target module does not exist, so implementing a module retires its row.
UNSUPPORTED_MODULES = {
    "keras.legacy": (
        "keras.legacy (the Keras-0 Graph model and legacy layers) is not provided by keras_compat; "
        "rewrite Graph models with the functional API; see %s#legacy" % _GUIDE),
}

# Every finder we create carries this attribute, so a finder left by another copy of this
# module (after a reload) is still recognised as ours and replaced instead of duplicated.
_FINDER_MARKER = "_keras_compat_alias_finder"

_lock = threading.RLock()


class KerasAlreadyImportedError(RuntimeError):
    """A ``keras`` module that keras_compat did not create is already in ``sys.modules``."""


class _AliasLoader(importlib.abc.Loader):
    """Loads ``alias`` by returning the already-importable ``target`` module itself."""

    def __init__(self, target):
        self.target = target
        self._target_spec = None

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        # The import system will now overwrite module.__spec__ with the alias spec;
        # remember the real one so exec_module can put it back.
        self._target_spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module):
        # Nothing to execute: the target module already ran. Restore its own spec so
        # importlib.reload() and introspection keep seeing keras_compat.*, not keras.*.
        if self._target_spec is not None:
            module.__spec__ = self._target_spec


class KerasAliasFinder(importlib.abc.MetaPathFinder):
    """Maps ``alias`` and ``alias.X.Y`` onto ``target`` and ``target.X.Y`` (PEP 451 only).

    Names with a private component (``keras._args``) are refused rather than mapped, and
    rows of ``unsupported`` (default :data:`UNSUPPORTED_MODULES`) raise ``ImportError`` with a
    pointer to the migration guide when the mirrored module does not exist.
    """

    def __init__(self, alias=DEFAULT_ALIAS, target=DEFAULT_TARGET, unsupported=None):
        self.alias = alias
        self.target = target
        self.unsupported = UNSUPPORTED_MODULES if unsupported is None else unsupported
        setattr(self, _FINDER_MARKER, True)

    def __repr__(self):
        return "%s(alias=%r, target=%r)" % (type(self).__name__, self.alias, self.target)

    def covers(self, fullname):
        """Whether ``fullname`` is the alias package or one of its submodules."""
        return fullname == self.alias or fullname.startswith(self.alias + ".")

    def target_name(self, fullname):
        """``keras.layers.core`` → ``keras_compat.layers.core``."""
        return self.target + fullname[len(self.alias):]

    def owns(self, module):
        """Whether ``module`` is the target package or one of its submodules."""
        name = getattr(module, "__name__", None)
        return isinstance(name, str) and (name == self.target or name.startswith(self.target + "."))

    def find_spec(self, fullname, path=None, target=None):
        if not self.covers(fullname):
            return None
        parts = fullname[len(self.alias):].split(".")[1:]
        if any(part.startswith("_") for part in parts):
            # Returning None would let the path finder load keras_compat/_x a second time
            # under the name keras._x; refuse instead.
            raise ModuleNotFoundError(
                "No module named %r (private keras_compat modules are not aliased; "
                "import %s directly)" % (fullname, self.target_name(fullname)),
                name=fullname)
        target_name = self.target_name(fullname)
        is_package = self._target_is_package(target_name)
        if is_package is None:
            if fullname in self.unsupported:
                raise ImportError(self.unsupported[fullname], name=fullname)
            raise ModuleNotFoundError("No module named %r" % (fullname,), name=fullname)
        return importlib.util.spec_from_loader(
            fullname, _AliasLoader(target_name), is_package=is_package)

    @staticmethod
    def _target_is_package(target_name):
        """True/False when ``target_name`` exists (package or not), None when it does not."""
        module = sys.modules.get(target_name)
        if module is not None:
            return hasattr(module, "__path__")
        try:
            spec = importlib.util.find_spec(target_name)
        except ModuleNotFoundError:
            return None
        if spec is None:
            return None
        return spec.submodule_search_locations is not None


def _our_finders(alias=None):
    return [finder for finder in sys.meta_path
            if getattr(finder, _FINDER_MARKER, False) and (alias is None or finder.alias == alias)]


def _foreign_module(finder, also_ours=()):
    """A ``sys.modules`` entry under ``finder.alias`` that no finder of ours aliased."""
    owners = [finder] + [KerasAliasFinder(old.alias, old.target) for old in also_ours]
    for name, module in list(sys.modules.items()):
        if finder.covers(name) and module is not None and not any(o.owns(module) for o in owners):
            return name, module
    return None


def _evict(finder):
    """Drop the ``sys.modules`` entries under ``finder.alias`` that hold ``finder.target`` modules."""
    probe = KerasAliasFinder(finder.alias, finder.target)
    for name, module in list(sys.modules.items()):
        if probe.covers(name) and probe.owns(module):
            del sys.modules[name]


def install(alias=DEFAULT_ALIAS, target=DEFAULT_TARGET):
    """Make ``import <alias>`` resolve to ``<target>``; idempotent. Returns the finder.

    The finder goes to ``sys.meta_path[0]`` so it wins over a real Keras in site-packages.
    Raises :class:`KerasAlreadyImportedError` (a ``RuntimeError``) when a ``keras`` module that
    keras_compat did not create is already imported, rather than mixing two Kerases.
    """
    with _lock:
        existing = _our_finders(alias)
        finder = next((old for old in existing
                       if type(old) is KerasAliasFinder and old.target == target), None)
        replaced = [old for old in existing if old is not finder]
        if finder is None:
            finder = KerasAliasFinder(alias, target)
        foreign = _foreign_module(finder, also_ours=replaced)
        if foreign is not None:
            name, module = foreign
            where = getattr(module, "__file__", None) or repr(module)
            raise KerasAlreadyImportedError(
                "a real Keras is already imported: %s; run the script through keras_compat "
                "(python -m keras_compat script.py) or call keras_compat.install() before "
                "anything imports %s" % (where, name))
        for old in existing:
            sys.meta_path.remove(old)
        for old in replaced:  # a finder for another target, or one left by a reloaded copy
            _evict(old)
        sys.meta_path.insert(0, finder)
        return finder


def uninstall(alias=None):
    """Remove the finder (every alias when ``alias`` is None) and evict the modules it aliased.

    Only ``sys.modules`` entries named ``<alias>``/``<alias>.*`` that hold one of the target's
    modules are removed; the ``keras_compat.*`` entries themselves stay. Returns whether a
    finder was installed.
    """
    with _lock:
        finders = _our_finders(alias)
        for finder in finders:
            sys.meta_path.remove(finder)
            _evict(finder)
        return bool(finders)


@contextlib.contextmanager
def installed(alias=DEFAULT_ALIAS, target=DEFAULT_TARGET):
    """``with installed(): import keras`` — uninstalls on exit unless it was already installed."""
    already = any(finder.target == target for finder in _our_finders(alias))
    finder = install(alias, target)
    try:
        yield finder
    finally:
        if not already:
            uninstall(alias)
