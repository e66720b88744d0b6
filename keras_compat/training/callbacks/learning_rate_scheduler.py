"""``LearningRateScheduler``: set the learning rate at the start of each epoch."""
import numpy as np

from keras_compat.training.callbacks._monitor import require_optimizer_lr, set_lr
from keras_compat.training.callbacks.base import Callback


class LearningRateScheduler(Callback):
    """Set ``model.optimizer.lr`` to ``schedule(epoch)`` (0-based) at every epoch start.

    # Arguments
        schedule: function ``epoch -> float``; a non-float result is a ``ValueError``
            (as in Keras 1, a Python ``int`` is rejected too).
    """

    def __init__(self, schedule):
        super().__init__()
        if not callable(schedule):
            raise TypeError("LearningRateScheduler: schedule must be a function epoch -> float, "
                            "got %r" % (schedule,))
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        require_optimizer_lr(self.model, "LearningRateScheduler")
        lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.floating)):
            raise ValueError('The output of the "schedule" function should be float '
                             '(LearningRateScheduler got %r of type %s at epoch %d).'
                             % (lr, type(lr).__name__, epoch))
        set_lr(self.model, lr, "LearningRateScheduler")
