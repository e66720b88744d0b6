"""keras_compat.utils.data_utils.get_file: cache hits, untar, MD5 warnings, no downloads."""
import hashlib
import io
import os
import tarfile

import pytest

from keras_compat.backend import config
from keras_compat.utils.data_utils import DatasetFormatError, get_file, validate_file


def _cache(sub="datasets"):
    folder = os.path.join(config.keras_home(), sub)
    os.makedirs(folder, exist_ok=True)
    return folder


def test_cache_hit_and_md5(recwarn):
    folder = _cache()
    path = os.path.join(folder, "data.bin")
    with open(path, "wb") as handle:
        handle.write(b"hello")
    md5 = hashlib.md5(b"hello").hexdigest()
    assert get_file("data.bin", origin="http://example.invalid/data.bin") == path
    assert get_file("data.bin", origin="http://x", md5_hash=md5) == path
    assert validate_file(path, md5) and not validate_file(path, "0" * 32)
    assert not recwarn.list
    with pytest.warns(UserWarning, match="data.bin.*%s" % ("f" * 32)):
        assert get_file("data.bin", origin="http://x", md5_hash="f" * 32) == path
    with open(path, "rb") as handle:
        assert handle.read() == b"hello"


def test_missing_file_error_names_file_folder_origin():
    with pytest.raises(FileNotFoundError) as info:
        get_file("weights.h5", origin="https://example.invalid/w.h5", cache_subdir="models")
    msg = str(info.value)
    assert "weights.h5" in msg and os.path.join(config.keras_home(), "models") in msg
    assert "https://example.invalid/w.h5" in msg and "never downloads" in msg


def test_keras_home_env_is_respected(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "other"))
    os.makedirs(str(tmp_path / "other" / "datasets"))
    (tmp_path / "other" / "datasets" / "f.txt").write_text("x")
    assert get_file("f.txt", origin="u") == str(tmp_path / "other" / "datasets" / "f.txt")


def _write_tgz(path, top, files):
    with tarfile.open(path, "w:gz") as tar:
        for name, payload in files.items():
            info = tarfile.TarInfo(top + "/" + name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))


def test_untar_extracts_once_and_uses_existing_folder(capsys):
    folder = _cache()
    # Keras 1 appends .tar.gz even when fname already ends in .tgz.
    _write_tgz(os.path.join(folder, "words.tgz.tar.gz"), "words.tgz", {"a.txt": b"alpha"})
    out = get_file("words.tgz", origin="http://x/words.tgz", untar=True)
    assert out == os.path.join(folder, "words.tgz")
    assert open(os.path.join(out, "a.txt")).read() == "alpha"
    assert "Untaring file..." in capsys.readouterr().out
    os.remove(os.path.join(folder, "words.tgz.tar.gz"))
    assert get_file("words.tgz", origin="http://x", untar=True) == out  # extracted folder alone suffices
    assert "Untaring" not in capsys.readouterr().out


def test_untar_missing_and_corrupt():
    folder = _cache()
    with pytest.raises(FileNotFoundError, match=r"pack\.tar\.gz.*http://x/pack"):
        get_file("pack", origin="http://x/pack", untar=True)
    with open(os.path.join(folder, "pack.tar.gz"), "wb") as handle:
        handle.write(b"\x1f\x8b garbage")
    with pytest.raises(DatasetFormatError, match="pack.tar.gz"):
        get_file("pack", origin="http://x/pack", untar=True)
    assert not os.path.exists(os.path.join(folder, "pack"))
    _write_tgz(os.path.join(folder, "other.tar.gz"), "wrongtop", {"a": b"1"})
    with pytest.raises(DatasetFormatError, match="expected top folder 'other'"):
        get_file("other", origin="http://x", untar=True)
