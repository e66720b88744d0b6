"""Smoke-test caps on training length, set by the runner (``--max-epochs``/``--max-steps``)
or directly through ``KERAS_COMPAT_MAX_EPOCHS`` / ``KERAS_COMPAT_MAX_STEPS``."""
import os

EPOCHS_VAR = "KERAS_COMPAT_MAX_EPOCHS"
STEPS_VAR = "KERAS_COMPAT_MAX_STEPS"


def _read(name):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError("%s must be a positive integer, not %r" % (name, raw))
    return value


def cap_epochs(nb_epoch, initial_epoch=0):
    """The epoch to stop at: ``nb_epoch``, or at most ``initial_epoch + cap`` when capped."""
    cap = _read(EPOCHS_VAR)
    if cap is None:
        return nb_epoch
    return min(nb_epoch, initial_epoch + cap)


def cap_steps():
    """The most batches (generator steps) per epoch, or None when uncapped."""
    return _read(STEPS_VAR)
