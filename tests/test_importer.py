"""The ``import keras`` alias: identity, install/uninstall, refusal, and the unsupported table."""
import importlib
import os
import re
import subprocess
import sys
import textwrap
import types
import uuid

import pytest

import keras_compat
import keras_compat.backend.config
from keras_compat import _importer
from keras_compat._importer import (
    UNSUPPORTED_MODULES,
    KerasAlreadyImportedError,
    KerasAliasFinder,
    install,
    installed,
    uninstall,
)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _alias_entries(alias="keras"):
    return {name: module for name, module in sys.modules.items()
            if name == alias or name.startswith(alias + ".")}


def _our_finders():
    return [finder for finder in sys.meta_path if isinstance(finder, KerasAliasFinder)]


@pytest.fixture(autouse=True)
def clean_import_state():
    """Each test starts and ends with no alias finder and no keras.* modules."""
    uninstall()
    saved_meta_path = list(sys.meta_path)
    before = set(sys.modules)
    yield
    uninstall()
    sys.meta_path[:] = saved_meta_path
    for name in set(sys.modules) - before:
        if name == "keras" or name.startswith("keras.") or name.startswith("fakecompat_"):
            del sys.modules[name]


@pytest.fixture
def fake_target(tmp_path, monkeypatch):
    """A tiny stand-in for keras_compat: ``layers``, ``layers.core``, ``backend``, ``utils``,
    ``_private``; the package folder is ``tmp_path / name``."""
    name = "fakecompat_" + uuid.uuid4().hex[:8]
    root = tmp_path / name
    files = {
        "__init__.py": "MARK = 'top'\n",
        "_private.py": "",
        "layers/__init__.py": "",
        "layers/core.py": "class Dense:\n    pass\n",
        "backend/__init__.py": "",
        "utils/__init__.py": "",
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


# --- identity ---------------------------------------------------------------------------


def test_alias_modules_are_the_keras_compat_objects():
    with installed():
        import keras
        import keras.backend.config
        from keras import backend as K

        assert keras is keras_compat
        assert K is keras_compat.backend
        assert keras.backend.config is keras_compat.backend.config
        assert sys.modules["keras.backend.config"] is sys.modules["keras_compat.backend.config"]
        assert sys.modules["keras"] is sys.modules["keras_compat"]


def test_from_import_and_attribute_access():
    with installed():
        import keras
        from keras.backend import config
        from keras.backend.config import image_dim_ordering

        assert config is keras_compat.backend.config
        assert image_dim_ordering is keras_compat.backend.config.image_dim_ordering
        # attribute-style access works because `keras` is the keras_compat package object
        assert keras.backend.config is keras_compat.backend.config


def test_target_module_keeps_its_own_spec_and_name():
    with installed():
        import keras.backend.config as alias_config

    assert alias_config.__name__ == "keras_compat.backend.config"
    assert alias_config.__spec__.name == "keras_compat.backend.config"
    assert keras_compat.__spec__.name == "keras_compat"


def test_fake_target_identity_and_reload(fake_target):
    with installed(target=fake_target):
        import keras.layers.core as core

        fake_core = importlib.import_module(fake_target + ".layers.core")
        assert core is fake_core
        assert core.Dense.__module__ == fake_target + ".layers.core"
        assert importlib.reload(core) is fake_core


# --- install / uninstall / installed ----------------------------------------------------


def test_importing_keras_compat_installs_nothing():
    code = textwrap.dedent("""
        import sys
        import keras_compat
        finders = [f for f in sys.meta_path if type(f).__name__ == "KerasAliasFinder"]
        print(len(finders), "keras" in sys.modules)
    """)
    env = dict(os.environ, PYTHONPATH=REPO)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "False"]


def test_install_is_idempotent_and_first_on_meta_path():
    first = install()
    import keras  # noqa: F401  (an aliased keras must not count as foreign on reinstall)

    second = install()
    assert first is second
    assert sys.meta_path[0] is first
    assert _our_finders() == [first]


def test_install_moves_finder_back_to_front():
    finder = install()
    sys.meta_path.insert(0, types.SimpleNamespace(find_spec=lambda *args: None))
    assert install() is finder
    assert sys.meta_path[0] is finder


def test_install_replaces_a_stale_finder_from_another_copy():
    stale = types.SimpleNamespace(alias="keras", target="keras_compat",
                                  find_spec=lambda *args: None)
    setattr(stale, _importer._FINDER_MARKER, True)
    sys.meta_path.insert(0, stale)
    finder = install()
    assert stale not in sys.meta_path
    assert sys.meta_path[0] is finder


def test_uninstall_evicts_alias_entries_but_keeps_keras_compat():
    install()
    import keras.backend.config  # noqa: F401

    assert "keras.backend.config" in sys.modules
    assert uninstall() is True
    assert _alias_entries() == {}
    assert not _our_finders()
    assert sys.modules["keras_compat.backend.config"] is keras_compat.backend.config
    with pytest.raises(ModuleNotFoundError):
        import keras  # noqa: F401
    assert uninstall() is False


def test_uninstall_leaves_foreign_entries_alone(monkeypatch):
    install()
    import keras.backend  # noqa: F401

    foreign = types.ModuleType("keras.contrib")
    monkeypatch.setitem(sys.modules, "keras.contrib", foreign)
    uninstall()
    assert sys.modules["keras.contrib"] is foreign
    assert "keras.backend" not in sys.modules


def test_installed_context_manager():
    with installed() as finder:
        assert sys.meta_path[0] is finder
        import keras  # noqa: F401
    assert not _our_finders()
    assert _alias_entries() == {}


def test_installed_keeps_an_earlier_install():
    finder = install()
    with installed() as inner:
        assert inner is finder
    assert _our_finders() == [finder]


def test_custom_alias(fake_target):
    with installed(alias="kerasish", target=fake_target):
        import kerasish.layers.core

        assert kerasish.layers.core is sys.modules[fake_target + ".layers.core"]
    assert "kerasish" not in sys.modules and "kerasish.layers.core" not in sys.modules


# --- refusal of a foreign keras ---------------------------------------------------------


def test_install_refuses_a_foreign_keras(monkeypatch):
    real = types.ModuleType("keras")
    real.__file__ = "/site-packages/keras/__init__.py"
    monkeypatch.setitem(sys.modules, "keras", real)
    with pytest.raises(RuntimeError, match="a real Keras is already imported") as info:
        install()
    assert isinstance(info.value, KerasAlreadyImportedError)
    assert "/site-packages/keras/__init__.py" in str(info.value)
    assert "before anything imports keras" in str(info.value)
    assert not _our_finders()
    assert sys.modules["keras"] is real


def test_install_refuses_a_foreign_keras_submodule(monkeypatch):
    monkeypatch.setitem(sys.modules, "keras.layers", types.ModuleType("keras.layers"))
    with pytest.raises(KerasAlreadyImportedError):
        install()


# --- names that are not mapped ----------------------------------------------------------


def test_missing_module_is_an_ordinary_module_not_found_error():
    with installed():
        with pytest.raises(ModuleNotFoundError) as info:
            import keras.does_not_exist  # noqa: F401
    assert info.value.name == "keras.does_not_exist"
    assert str(info.value) == "No module named 'keras.does_not_exist'"


def test_private_names_are_not_mapped():
    import keras_compat._args

    with installed():
        with pytest.raises(ModuleNotFoundError) as info:
            import keras._args  # noqa: F401
    assert info.value.name == "keras._args"
    assert "keras._args" not in sys.modules
    assert sys.modules["keras_compat._args"] is keras_compat._args


def test_private_names_are_not_mapped_in_fake_target(fake_target):
    with installed(target=fake_target):
        with pytest.raises(ModuleNotFoundError):
            import keras._private  # noqa: F401
        with pytest.raises(ModuleNotFoundError):
            import keras.layers._hidden  # noqa: F401
    assert "keras._private" not in sys.modules


def test_other_names_are_ignored():
    finder = KerasAliasFinder()
    assert finder.find_spec("kerasx", None) is None
    assert finder.find_spec("keras_compat.backend", None) is None
    assert finder.find_spec("numpy", None) is None


# --- the unsupported table --------------------------------------------------------------

_ANCHOR = re.compile(r"see migration_guide/unsupported\.md#([a-z0-9-]+)$")


@pytest.mark.parametrize("fullname", sorted(UNSUPPORTED_MODULES))
def test_unsupported_row_is_well_formed(fullname):
    message = UNSUPPORTED_MODULES[fullname]
    assert fullname.startswith("keras.")
    assert fullname in message
    assert _ANCHOR.search(message), message


@pytest.mark.parametrize("fullname", sorted(UNSUPPORTED_MODULES))
def test_unsupported_row_raises_import_error_with_pointer(fullname, fake_target):
    row = UNSUPPORTED_MODULES[fullname]
    with installed(target=fake_target):
        with pytest.raises(ImportError) as info:
            importlib.import_module(fullname)
    assert not isinstance(info.value, ModuleNotFoundError)
    assert str(info.value) == row
    assert info.value.name == fullname


def test_unsupported_row_yields_to_an_implemented_module(fake_target, tmp_path):
    assert "keras.legacy" in UNSUPPORTED_MODULES
    legacy = tmp_path / fake_target / "legacy"
    legacy.mkdir()
    (legacy / "__init__.py").write_text("GRAPH = 'implemented'\n")
    importlib.invalidate_caches()
    with installed(target=fake_target):
        import keras.legacy

        assert keras.legacy.GRAPH == "implemented"


def test_unsupported_pointer_with_the_real_package():
    absent = [name for name in sorted(UNSUPPORTED_MODULES)
              if importlib.util.find_spec("keras_compat" + name[len("keras"):]) is None]
    if not absent:
        pytest.skip("every unsupported row has been implemented")
    anchor = _ANCHOR.search(UNSUPPORTED_MODULES[absent[0]]).group(1)
    with installed():
        with pytest.raises(ImportError, match=r"unsupported\.md#%s" % anchor):
            importlib.import_module(absent[0])


def test_applications_is_provided():
    assert "keras.applications" not in UNSUPPORTED_MODULES
    with installed():
        import keras.applications
        from keras.applications.music_tagger_crnn import MusicTaggerCRNN

        assert keras.applications.VGG16.__module__ == "keras_compat.applications.vgg16"
        assert MusicTaggerCRNN.__name__ == "MusicTaggerCRNN"


@pytest.mark.parametrize("fullname", sorted(UNSUPPORTED_MODULES))
def test_unsupported_anchor_is_listed_in_running_guide(fullname):
    anchor = _ANCHOR.search(UNSUPPORTED_MODULES[fullname]).group(1)
    with open(os.path.join(REPO, "migration_guide", "running.md")) as handle:
        guide = handle.read()
    assert "unsupported.md#%s" % anchor in guide


def test_install_for_another_target_replaces_the_first(fake_target):
    first = install()
    import keras

    assert keras is keras_compat
    second = install(target=fake_target)
    assert _our_finders() == [second] and second is not first
    import keras

    assert keras.__name__ == fake_target
