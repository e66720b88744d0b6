"""Reference behaviour of Keras 1.2.2 callbacks driven with scripted epoch logs.

Run with /work/shared/oracle/run_keras1.sh (real Keras 1.2.2). Writes
tests/data/oracle/<backend>/callbacks_scripted.npz with a `meta` JSON string holding,
per scenario, the stop flags / learning rates after each epoch, the printed text and
the CSV file text.
"""
import io
import json
import os
import sys
import tempfile

import numpy as np
from keras import backend as K
from keras.callbacks import (CSVLogger, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau)
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import SGD

OUT = sys.argv[1]


def model():
    m = Sequential([Dense(2, input_dim=3)])
    m.compile(SGD(lr=0.1), "mse")
    return m


def capture(fn):
    old = sys.stdout
    sys.stdout = io.StringIO()
    try:
        result = fn()
        return result, sys.stdout.getvalue()
    finally:
        sys.stdout = old


SERIES = {
    "flat": [1.0] * 10,
    "down_then_flat": [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
    "noisy": [1.0, 0.95, 0.97, 0.94, 0.96, 0.96, 0.93, 0.99, 0.99, 0.99],
    "tiny_gains": [1.0, 0.9999, 0.9998, 0.9997, 0.9996, 0.9995, 0.9994, 0.9993, 0.9992, 0.9991],
}

meta = {"early": {}, "plateau": {}, "checkpoint": {}}

for name, series in sorted(SERIES.items()):
    for patience in (0, 1, 2):
        for min_delta in (0, 0.001):
            for monitor, mode, sign in (("val_loss", "auto", 1), ("val_acc", "auto", -1)):
                m = model()
                cb = EarlyStopping(monitor=monitor, patience=patience, min_delta=min_delta,
                                   verbose=1, mode=mode)
                cb.set_model(m)
                m.stop_training = False

                def go():
                    cb.on_train_begin({})
                    ran = 0
                    for epoch, value in enumerate(series):
                        ran += 1
                        cb.on_epoch_end(epoch, {monitor: sign * value})
                        if m.stop_training:
                            break
                    cb.on_train_end({})
                    return ran
                ran, text = capture(go)
                key = "%s|%d|%g|%s" % (name, patience, min_delta, monitor)
                meta["early"][key] = {"epochs_run": ran, "text": text}

for name, series in sorted(SERIES.items()):
    for patience in (0, 1, 2, 3):
        for cooldown in (0, 1):
            for min_lr in (0, 0.0005):
                m = model()
                cb = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=patience,
                                       cooldown=cooldown, min_lr=min_lr, verbose=1)
                cb.set_model(m)

                def go():
                    cb.on_train_begin({})
                    lrs, logged = [], []
                    for epoch, value in enumerate(series):
                        logs = {"val_loss": value}
                        cb.on_epoch_end(epoch, logs)
                        logged.append(float(logs["lr"]))
                        lrs.append(float(K.get_value(m.optimizer.lr)))
                    return lrs, logged
                (lrs, logged), text = capture(go)
                key = "%s|%d|%d|%g" % (name, patience, cooldown, min_lr)
                meta["plateau"][key] = {"lr": lrs, "logged_lr": logged, "text": text}

folder = tempfile.mkdtemp()
for mode, monitor, sign in (("auto", "val_loss", 1), ("auto", "val_acc", -1), ("min", "val_loss", 1),
                            ("max", "val_loss", 1)):
    for period in (1, 2):
        m = model()
        path = os.path.join(folder, "w.{epoch:02d}-{val_loss:.2f}.h5")
        cb = ModelCheckpoint(path, monitor=monitor, verbose=1, save_best_only=True,
                             save_weights_only=True, mode=mode, period=period)
        cb.set_model(m)
        series = SERIES["noisy"]

        def go():
            cb.on_train_begin({})
            for epoch, value in enumerate(series):
                cb.on_epoch_end(epoch, {"val_loss": value if monitor == "val_loss" else 0.5,
                                        "val_acc": -value if monitor == "val_acc" else 0.5,
                                        "loss": 0.25})
        _, text = capture(go)
        text = text.replace(folder + os.sep, "<DIR>/")
        meta["checkpoint"]["%s|%s|%d" % (mode, monitor, period)] = text
# CSVLogger text (append and not)
csv_path = os.path.join(folder, "log.csv")
for append in (False, True):
    cb = CSVLogger(csv_path, append=append)
    cb.set_model(model())
    cb.on_train_begin({})
    for epoch in range(2):
        cb.on_epoch_end(epoch, {"loss": 0.5 / (epoch + 1), "val_loss": 0.75, "acc": 0.25,
                                "val_acc": 0.125})
    cb.on_train_end({})
with open(csv_path, "rb") as handle:
    meta["csv_bytes"] = handle.read().decode("latin-1")

np.savez_compressed(OUT, meta=np.array(json.dumps(meta, sort_keys=True)))
print("wrote", OUT)
