"""Crash-safe file writes: a crash or kill mid-save leaves the previous file intact.

``atomic_path(target)`` yields a temporary path in the target's own folder (so the final
rename never crosses file systems), named ``.<target name>.kcsave-<host>-<pid>-<random>.tmp``.
When the caller has written it, the temp file is flushed to disk (``fsync``), renamed over
the target (``os.replace``: readers see the old or the new file, never a mix) and the folder
is fsynced so the rename itself survives a power cut. Its mode follows the umask, as a file
made by ``open(path, 'w')`` would (0644 under the usual umask 022).

A failed save removes its temp file. A killed process cannot, so the next save of the same
target removes the temps that earlier, dead processes on this host left for it (their pid no
longer runs); temps of a save still running elsewhere are left alone.
"""
import contextlib
import errno
import hashlib
import os
import re
import secrets
import socket

MARK = "kcsave"


def _host_tag():
    return hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def temp_pattern(filepath):
    """Regex matching the temp files a save of ``filepath`` uses (group 1: host, 2: pid)."""
    return re.compile(r"\A\.%s\.%s-([0-9a-f]{8})-(\d+)-[0-9a-f]+\.tmp\Z"
                      % (re.escape(os.path.basename(filepath)), MARK))


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _remove_stale_temps(folder, filepath, host):
    pattern = temp_pattern(filepath)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = pattern.match(name)
        if not match or match.group(1) != host:
            continue
        pid = int(match.group(2))
        if pid != os.getpid() and _process_alive(pid):
            continue
        if pid == os.getpid() and os.path.join(folder, name) in _ACTIVE:
            continue  # a save of this process in progress (another thread)
        with contextlib.suppress(OSError):
            os.remove(os.path.join(folder, name))


_ACTIVE = set()


def _fsync_path(path, directory=False):
    flags = os.O_RDONLY if directory else os.O_RDWR
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:
            return  # folders cannot be opened on some systems (Windows): nothing to sync
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if not (directory and exc.errno in (errno.EINVAL, errno.EBADF, errno.EACCES)):
            raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(filepath):
    """Yield a temporary path in the target's folder; make it ``filepath`` on success."""
    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError("Cannot save to %r: the folder %r does not exist"
                                % (filepath, folder))
    host = _host_tag()
    _remove_stale_temps(folder, filepath, host)
    temp = os.path.join(folder, ".%s.%s-%s-%d-%s.tmp" % (os.path.basename(filepath), MARK, host,
                                                        os.getpid(), secrets.token_hex(4)))
    # 0o666 filtered by the umask, as open() creates files; O_EXCL: never reuse a name
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    _ACTIVE.add(temp)
    try:
        yield temp
        _fsync_path(temp)
        os.replace(temp, filepath)
        _fsync_path(folder, directory=True)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temp)
        raise
    finally:
        _ACTIVE.discard(temp)
