"""Cached-file access (Keras-1 ``keras.utils.data_utils``), offline.

``get_file`` finds files where Keras 1.2.2 cached them (``~/.keras/<cache_subdir>/``, or
``$KERAS_HOME/<cache_subdir>/``; ``/tmp/.keras/<cache_subdir>/`` as Keras 1's fallback when the
home folder is not writable) and never downloads: a missing file raises ``FileNotFoundError``
naming the file, the folder and the URL it can be obtained from. ``untar=True`` extracts
``<fname>.tar.gz`` once into ``<fname>/`` (an already extracted folder is used as is). An MD5
mismatch is a warning naming the file and the expected checksum; the file is then used.
"""
import hashlib
import os
import shutil
import tarfile
import warnings

from keras_compat.backend.config import keras_home
from keras_compat.training.progbar import Progbar as Progbar  # Keras 1 imported it here

__all__ = ["get_file", "validate_file", "cache_dir", "DatasetFormatError"]


class DatasetFormatError(ValueError):
    """A cached dataset file that is truncated or not in the format Keras 1.2.2 wrote."""


def cache_dir(cache_subdir="datasets"):
    """The folder ``get_file`` reads: ``<keras_home()>/<cache_subdir>``."""
    return os.path.join(keras_home(), cache_subdir)


def _candidate_dirs(cache_subdir):
    dirs = [cache_dir(cache_subdir)]
    home = keras_home()
    # Keras 1 fell back to /tmp/.keras when ~/.keras was not writable; look there too.
    if os.path.isdir(home) and not os.access(home, os.W_OK):
        dirs.append(os.path.join("/tmp", ".keras", cache_subdir))
    return dirs


def validate_file(fpath, md5_hash):
    """True when the file's MD5 hex digest equals ``md5_hash``."""
    hasher = hashlib.md5()
    with open(fpath, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest() == str(md5_hash)


def _missing(name, folder, origin, extra=""):
    return FileNotFoundError(
        "Keras dataset/cache file %r was not found in %s. keras_compat never downloads; obtain it "
        "from %s and place it at %s%s." % (name, folder, origin, os.path.join(folder, name), extra))


def _extract(archive, datadir, target):
    print("Untaring file...")
    try:
        with tarfile.open(archive, "r:gz") as tfile:
            if hasattr(tarfile, "data_filter"):
                tfile.extractall(path=datadir, filter="data")
            else:
                tfile.extractall(path=datadir)
    except (tarfile.TarError, EOFError, OSError) as err:
        if os.path.isdir(target):
            shutil.rmtree(target, ignore_errors=True)
        raise DatasetFormatError("Could not extract %s (a truncated or corrupt .tar.gz?): %s" % (archive, err))
    except BaseException:
        if os.path.isdir(target):
            shutil.rmtree(target, ignore_errors=True)
        raise
    if not os.path.exists(target):
        raise DatasetFormatError("Extracting %s did not create %s: the archive does not hold the "
                                 "expected top folder %r" % (archive, target, os.path.basename(target)))


def get_file(fname, origin, untar=False, md5_hash=None, cache_subdir="datasets"):
    """Path of a cached file (or of the folder extracted from ``<fname>.tar.gz`` when ``untar``).

    # Arguments
        fname: file name in the cache folder.
        origin: the URL Keras 1 downloaded it from (named in the error when it is missing).
        untar: the cached file is ``<fname>.tar.gz``; return the extracted ``<fname>`` folder.
        md5_hash: expected MD5; a mismatch warns and the file is used anyway.
        cache_subdir: sub-folder of the Keras home (``datasets`` by default).
    """
    dirs = _candidate_dirs(cache_subdir)
    if untar:
        for datadir in dirs:
            target = os.path.join(datadir, fname)
            archive = target + ".tar.gz"
            if os.path.isdir(target):
                return target
            if os.path.exists(archive):
                if md5_hash is not None and not validate_file(archive, md5_hash):
                    _warn_md5(archive, md5_hash)
                _extract(archive, datadir, target)
                return target
        raise _missing(fname + ".tar.gz", dirs[0], origin,
                       " (or the folder %r extracted from it)" % (fname,))
    for datadir in dirs:
        fpath = os.path.join(datadir, fname)
        if os.path.isfile(fpath):
            if md5_hash is not None and not validate_file(fpath, md5_hash):
                _warn_md5(fpath, md5_hash)
            return fpath
    raise _missing(fname, dirs[0], origin)


def _warn_md5(fpath, md5_hash):
    warnings.warn("The cached file %s does not have the expected MD5 checksum %s (Keras 1 would "
                  "re-download it); using it anyway, since keras_compat never downloads."
                  % (fpath, md5_hash), stacklevel=3)
