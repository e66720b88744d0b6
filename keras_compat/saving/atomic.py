"""Atomic file writes: a crash mid-save leaves the previous file intact."""
import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_path(filepath):
    """Yield a temporary path in the target's folder; rename it over ``filepath`` on success."""
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError("Cannot save to %r: the folder %r does not exist" % (filepath, folder))
    handle, temp = tempfile.mkstemp(prefix=".%s." % os.path.basename(filepath), suffix=".tmp",
                                    dir=folder)
    os.close(handle)
    try:
        yield temp
        os.replace(temp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temp)
        raise
