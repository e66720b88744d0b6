"""Keras 1's terminal prompt before overwriting a file (``keras.utils.io_utils`` and
``keras.models`` exported it; keras_compat's own saves take ``overwrite=`` instead)."""
import sys


def ask_to_proceed_with_overwrite(filepath):
    """Ask on the terminal whether ``filepath`` may be overwritten; True for ``y``, False for
    ``n`` (other answers ask again), with Keras 1's prompts."""
    answer = input("[WARNING] %s already exists - overwrite? [y/n]" % (filepath,))
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).')
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    sys.stdout.flush()
    return True
