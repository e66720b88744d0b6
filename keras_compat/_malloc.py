"""Keep freed memory in the process for reuse: what the runner does for training on Linux.

torch's CPU tensors come from ``malloc``.  glibc returns large freed blocks to the system
(blocks over its mmap threshold are unmapped at once; the top of the heap is trimmed past
its trim threshold), and every page of the next block of that size is then faulted in and
zeroed again.  A convnet step allocates and frees activations of several MiB each (the
first convolution of Keras 1's mnist_cnn outputs 11 MiB per batch of 128).  On this
project's 2-core machine, with a hand-written torch loop of the same network alternating in
the same process, a 94-step epoch took 1.1 to 1.5 million page faults and 8.2-9.5 s; with
the settings below, under 10 faults and 4.9-5.4 s (the torch loop: 9.8-10.3 s, then
5.8-6.1 s).  Through the runner alone (mnist_cnn, 2 epochs of 6000 images, whole process,
5 alternating pairs) the run took 0.90 of the time (0.74-1.09) and 0.56 s instead of 2.72 s
of system time.

The settings are glibc's tunables ``M_MMAP_THRESHOLD`` (32 MiB, its maximum on 64-bit
systems: smaller blocks come from the heap and are reused) and ``M_TRIM_THRESHOLD``
(512 MiB of free memory at the top of the heap are kept rather than returned).  They are
process-wide, so a library does not set them on import: the runner (``python -m
keras_compat``) sets them for the script it runs, the way an application chooses its
allocator (``--no-reuse-memory`` leaves malloc as it is).  A program that imports
keras_compat itself gets the same effect from the environment, before Python starts:
``MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=536870912``.
"""
import ctypes
import sys

# mallopt parameters, from glibc's malloc.h.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 512 * 1024 * 1024

# What ``reuse_freed_memory`` last returned in this process (None: never called).
applied = None


def _mallopt():
    """glibc's ``mallopt``, or None (another C library or operating system)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt


def reuse_freed_memory():
    """Set the two thresholds; True where the C library took both (glibc), else False
    (nothing changed that matters: musl's ``mallopt`` accepts nothing)."""
    global applied
    mallopt = _mallopt()
    applied = mallopt is not None and bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    return applied
