"""``CSVLogger``: one CSV row of logs per epoch."""
import csv
import os
from collections.abc import Iterable

import numpy as np

from keras_compat.training.callbacks.base import Callback


def _cell(value):
    if hasattr(value, "detach"):  # a 0-d tensor
        value = value.detach().cpu().numpy()
    if isinstance(value, Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return '"[%s]"' % ", ".join(map(str, value))
    return value


class CSVLogger(Callback):
    """Stream epoch results to a CSV file.

    The header is ``epoch`` followed by the sorted keys of the first epoch's logs; list
    values are written as ``"[a, b]"``.  Rows use the ``excel`` dialect (``\\r\\n`` line
    ends), as Keras 1's ``csv.DictWriter`` wrote them.

    # Arguments
        filename: the CSV file.
        separator: the field delimiter.
        append: append to an existing file (its header is not repeated when it is
            non-empty) instead of overwriting it.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = filename
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        folder = os.path.dirname(os.path.abspath(self.filename))
        if not os.path.isdir(folder):
            raise FileNotFoundError("CSVLogger cannot write %r: the folder %r does not exist"
                                    % (self.filename, folder))
        self.append_header = True
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as handle:
                    self.append_header = not bool(len(handle.readline()))
            self.csv_file = open(self.filename, "a", newline="")
        else:
            self.csv_file = open(self.filename, "w", newline="")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.writer is None:
            self.keys = sorted(logs.keys())

            class Dialect(csv.excel):
                delimiter = self.sep

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         dialect=Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, ""))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
            self.csv_file = None
        self.writer = None
