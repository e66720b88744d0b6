"""Text progress bar reproducing Keras 1.2.2's ``generic_utils.Progbar`` output.

The output is byte-for-byte what Keras 1 writes to ``sys.stdout``:

* ``verbose=1``: every drawn update first erases the previous line with
  ``'\\b' * previous_width`` followed by ``'\\r'``, then writes
  ``' 300/800 [==========>...................]'`` plus an info part
  (``' - ETA: 0s'`` while running, ``' - 0s'`` (elapsed) once finished, then
  ``' - name: 0.1234'`` per metric), pads with spaces when the new line is
  shorter than the previous one and ends with ``'\\n'`` once ``current >= target``.
  Updates are rate limited to one per ``interval`` seconds unless ``force``.
* ``verbose=2``: nothing until ``current >= target``, then one line
  ``'0s - loss: 0.1234\\n'``.

Metric values are running averages weighted by the number of samples that
each update advanced the bar by.
"""
import math
import sys
import time

from keras_compat.backend import process_group

__all__ = ['Progbar']


def _format_metric(avg, use_abs):
    # Keras 1 compares abs(avg) in verbose 1 but the raw value in verbose 2,
    # so a negative average prints in exponent notation with verbose=2.
    probe = abs(avg) if use_abs else avg
    if probe > 1e-3:
        return ' %.4f' % avg
    return ' %.4e' % avg


class Progbar(object):
    """Displays a progress bar.

    # Arguments
        target: total number of steps (samples) expected.
        width: width of the bar itself, in characters.
        verbose: 0 (silent), 1 (animated bar) or 2 (one line at the end).
        interval: minimum time in seconds between two drawn updates
            (verbose 1).
    """

    def __init__(self, target, width=30, verbose=1, interval=0.05):
        self.target = target
        self.width = width
        # A data-parallel run draws one bar, on rank 0.
        self.verbose = verbose if process_group.is_main() else 0
        self.interval = interval
        # name -> [weighted sum, total weight]; unique_values keeps first-seen order.
        self.sum_values = {}
        self.unique_values = []
        self.start = time.time()
        self.last_update = 0
        self.total_width = 0
        self.seen_so_far = 0

    def _accumulate(self, current, values):
        step = current - self.seen_so_far
        for name, value in values or ():
            value = float(value)
            entry = self.sum_values.get(name)
            if entry is None:
                self.sum_values[name] = [value * step, step]
                self.unique_values.append(name)
            else:
                entry[0] += value * step
                entry[1] += step
        self.seen_so_far = current

    def _average(self, name):
        weighted_sum, weight = self.sum_values[name]
        return weighted_sum / max(1, weight)

    def _bar_text(self, current):
        digits = int(math.floor(math.log10(self.target))) + 1
        text = '%*d/%*d [' % (digits, current, digits, self.target)
        filled = int(self.width * (float(current) / self.target))
        if filled > 0:
            text += '=' * (filled - 1)
            text += '>' if current < self.target else '='
        text += '.' * (self.width - filled)
        return text + ']'

    def update(self, current, values=None, force=False):
        """Updates the bar.

        # Arguments
            current: index of the current step (number of samples seen).
            values: list of ``(name, value)`` tuples; value is anything
                ``float()`` accepts.
            force: draw even if the last draw was less than ``interval``
                seconds ago (verbose 1).
        """
        self._accumulate(current, values)
        now = time.time()

        if self.verbose == 1:
            if not force and (now - self.last_update) < self.interval:
                return
            out = sys.stdout
            previous_width = self.total_width
            out.write('\b' * previous_width)
            out.write('\r')

            bar = self._bar_text(current)
            out.write(bar)
            self.total_width = len(bar)

            per_unit = (now - self.start) / current if current else 0
            if current < self.target:
                info = ' - ETA: %ds' % (per_unit * (self.target - current))
            else:
                info = ' - %ds' % (now - self.start)
            for name in self.unique_values:
                info += ' - %s:' % name
                info += _format_metric(self._average(name), use_abs=True)

            self.total_width += len(info)
            if previous_width > self.total_width:
                info += ' ' * (previous_width - self.total_width)
            out.write(info)
            out.flush()

            if current >= self.target:
                out.write('\n')
                out.flush()

        elif self.verbose == 2:
            if current >= self.target:
                info = '%ds' % (now - self.start)
                for name in self.unique_values:
                    info += ' - %s:' % name
                    info += _format_metric(self._average(name), use_abs=False)
                sys.stdout.write(info + '\n')
                sys.stdout.flush()

        self.last_update = now

    def add(self, n, values=None):
        """Advances the bar by ``n`` steps (see ``update``)."""
        self.update(self.seen_so_far + n, values)
