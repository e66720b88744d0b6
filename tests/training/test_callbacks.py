"""Keras-1 callbacks: scripted-log parity with real Keras 1.2.2 and behaviour inside ``fit``.

Reference: tests/data/oracle/theano/callbacks_scripted.npz (tools/oracle_cases/callbacks_cases.py
drives the real Keras 1.2.2 callbacks with the same scripted logs).
"""
import contextlib
import http.server
import io
import json
import os
import threading
import urllib.parse

import numpy as np
import pytest
import torch

from keras_compat import backend as K
from keras_compat import callbacks
from keras_compat.callbacks import (CSVLogger, EarlyStopping, LambdaCallback,
                                    LearningRateScheduler, ModelCheckpoint, ReduceLROnPlateau,
                                    RemoteMonitor, TensorBoard)
from keras_compat.layers import Dense
from keras_compat.models import Sequential
from keras_compat.optimizers import SGD

import reference_data

SERIES = {
    "flat": [1.0] * 10,
    "down_then_flat": [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
    "noisy": [1.0, 0.95, 0.97, 0.94, 0.96, 0.96, 0.93, 0.99, 0.99, 0.99],
    "tiny_gains": [1.0, 0.9999, 0.9998, 0.9997, 0.9996, 0.9995, 0.9994, 0.9993, 0.9992, 0.9991],
}


@pytest.fixture(scope="module")
def ref():
    return reference_data.oracle("callbacks_scripted").meta


def _model(lr=0.1):
    model = Sequential([Dense(2, input_dim=3)])
    model.compile(SGD(lr=lr), "mse")
    return model


def _data(n=64):
    rng = np.random.RandomState(1)
    x = rng.rand(n, 3).astype("float32")
    return x, x[:, :2] * 2 - 1


def _captured(fn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn()
    return result, out.getvalue()


# -- exports -----------------------------------------------------------------------------
def test_keras_callbacks_exports_every_class():
    for name in ("ModelCheckpoint", "EarlyStopping", "LearningRateScheduler", "ReduceLROnPlateau",
                 "CSVLogger", "LambdaCallback", "TensorBoard", "RemoteMonitor", "History",
                 "BaseLogger", "ProgbarLogger", "Callback", "CallbackList"):
        assert name in callbacks.__all__ and hasattr(callbacks, name)


# -- EarlyStopping -------------------------------------------------------------------------
def test_early_stopping_matches_keras1_on_scripted_logs(ref):
    cases = ref["early"]
    assert len(cases) == 48
    for key, want in cases.items():
        name, patience, min_delta, monitor = key.split("|")
        sign = 1 if monitor == "val_loss" else -1
        model = _model()
        cb = EarlyStopping(monitor=monitor, patience=int(patience), min_delta=float(min_delta),
                           verbose=1)
        cb.set_model(model)
        model.stop_training = False

        def go():
            cb.on_train_begin({})
            ran = 0
            for epoch, value in enumerate(SERIES[name]):
                ran += 1
                cb.on_epoch_end(epoch, {monitor: sign * value})
                if model.stop_training:
                    break
            cb.on_train_end({})
            return ran
        ran, text = _captured(go)
        assert (ran, text) == (want["epochs_run"], want["text"]), key


def test_early_stopping_in_fit_stops_after_patience_plus_one_flat_epochs():
    x, y = _data()
    model = _model()
    # the loss keeps falling, so in "max" mode only epoch 0 is an improvement
    stopper = EarlyStopping(monitor="loss", mode="max", patience=2, verbose=1)
    history, text = _captured(lambda: model.fit(x, y, nb_epoch=20, batch_size=16, verbose=0,
                                                callbacks=[stopper]))
    assert history.epoch == [0, 1, 2, 3]
    assert text == "Epoch 00003: early stopping\n"
    assert model.stop_training is True


def test_early_stopping_missing_monitor_is_a_clear_error():
    x, y = _data()
    model = _model()
    with pytest.warns(RuntimeWarning, match="Early stopping requires val_loss available"):
        with pytest.raises(ValueError, match="'val_loss' is not in the epoch logs.*loss"):
            model.fit(x, y, nb_epoch=2, verbose=0, callbacks=[EarlyStopping()])


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(RuntimeWarning, match="EarlyStopping mode bogus is unknown"):
        cb = EarlyStopping(monitor="val_acc", mode="bogus")
    assert cb.monitor_op is np.greater
    with pytest.warns(RuntimeWarning, match="ModelCheckpoint mode x is unknown"):
        cb = ModelCheckpoint("w.pt", monitor="fmeasure_x", mode="x")
    assert cb.monitor_op is np.greater


# -- ReduceLROnPlateau ---------------------------------------------------------------------
def test_reduce_lr_on_plateau_matches_keras1_on_scripted_logs(ref):
    cases = ref["plateau"]
    assert len(cases) == 64
    for key, want in cases.items():
        name, patience, cooldown, min_lr = key.split("|")
        model = _model(lr=0.1)
        cb = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=int(patience),
                               cooldown=int(cooldown), min_lr=float(min_lr), verbose=1)
        cb.set_model(model)

        def go():
            cb.on_train_begin({})
            lrs, logged = [], []
            for epoch, value in enumerate(SERIES[name]):
                logs = {"val_loss": value}
                cb.on_epoch_end(epoch, logs)
                assert isinstance(logs["lr"], np.ndarray) and logs["lr"].dtype == np.float32
                assert logs["lr"].shape == ()
                logged.append(float(logs["lr"]))
                lrs.append(float(K.get_value(model.optimizer.lr)))
            return lrs, logged
        (lrs, logged), text = _captured(go)
        assert lrs == want["lr"], key
        assert logged == want["logged_lr"], key
        assert text == want["text"], key


def test_reduce_lr_on_plateau_changes_the_update_inside_fit():
    x, y = _data()
    model = _model(lr=0.1)
    cb = ReduceLROnPlateau(monitor="loss", mode="max", factor=0.5, patience=0)
    history = model.fit(x, y, nb_epoch=4, batch_size=64, verbose=0, callbacks=[cb])
    # epoch 0 sets the best; from epoch 1 on every (non-improving) epoch halves the rate
    assert [float(v) for v in history.history["lr"]] == pytest.approx([0.1, 0.1, 0.05, 0.025])
    assert float(model.optimizer.lr) == pytest.approx(0.0125)
    before = model.get_weights()
    model.train_on_batch(x, y)
    delta_small = np.abs(model.get_weights()[0] - before[0]).sum()
    K.set_value(model.optimizer.lr, 0.1)
    before = model.get_weights()
    model.train_on_batch(x, y)
    delta_big = np.abs(model.get_weights()[0] - before[0]).sum()
    assert delta_big > 4 * delta_small  # the optimizer really used the reduced rate


def test_reduce_lr_on_plateau_rejects_factor_one():
    with pytest.raises(ValueError, match="factor >= 1.0"):
        ReduceLROnPlateau(factor=1.0)


# -- LearningRateScheduler -------------------------------------------------------------------
def test_learning_rate_scheduler_sets_the_rate_each_epoch():
    x, y = _data()
    model = _model(lr=0.5)
    seen = []
    schedule = LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))
    probe = LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(
        float(K.get_value(model.optimizer.lr))))
    model.fit(x, y, nb_epoch=3, verbose=0, callbacks=[schedule, probe])
    assert seen == [np.float32(0.1), np.float32(0.05), np.float32(0.1 / 3)]
    assert isinstance(model.optimizer.lr, torch.Tensor) and model.optimizer.lr.dim() == 0


def test_learning_rate_scheduler_changes_the_update():
    x, y = _data()
    frozen = _model(lr=0.5)
    start = frozen.get_weights()
    frozen.fit(x, y, nb_epoch=1, verbose=0, shuffle=False,
               callbacks=[LearningRateScheduler(lambda epoch: 0.0)])
    for a, b in zip(start, frozen.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_learning_rate_scheduler_rejects_non_float():
    x, y = _data()
    model = _model()
    with pytest.raises(ValueError, match='"schedule" function should be float'):
        model.fit(x, y, nb_epoch=1, verbose=0, callbacks=[LearningRateScheduler(lambda e: 1)])


# -- ModelCheckpoint -------------------------------------------------------------------------
class _RecordingModel:
    def __init__(self):
        self.saved = []

    def save_weights(self, path, overwrite=True):
        self.saved.append(path)


def test_model_checkpoint_messages_match_keras1(ref):
    for key, want in ref["checkpoint"].items():
        mode, monitor, period = key.split("|")
        model = _RecordingModel()
        cb = ModelCheckpoint("<DIR>/w.{epoch:02d}-{val_loss:.2f}.h5", monitor=monitor, verbose=1,
                             save_best_only=True, save_weights_only=True, mode=mode,
                             period=int(period))
        cb.set_model(model)
        cb._check_folder = lambda path: None  # paths are only compared as text here

        def go():
            for epoch, value in enumerate(SERIES["noisy"]):
                cb.on_epoch_end(epoch, {"val_loss": value if monitor == "val_loss" else 0.5,
                                        "val_acc": -value if monitor == "val_acc" else 0.5,
                                        "loss": 0.25})
        _, text = _captured(go)
        assert text == want, key
        saved = [line.rsplit(" ", 1)[1] for line in text.splitlines() if "saving model" in line]
        assert model.saved == saved


def test_model_checkpoint_saves_every_epoch_with_templates(tmp_path):
    x, y = _data()
    model = _model()
    template = str(tmp_path / "w.{epoch:02d}-{loss:.3f}.pt")
    history, text = _captured(lambda: model.fit(
        x, y, nb_epoch=3, verbose=0, callbacks=[ModelCheckpoint(template, monitor="loss",
                                                                save_weights_only=True,
                                                                verbose=1)]))
    names = sorted(os.listdir(str(tmp_path)))
    want = ["w.%02d-%.3f.pt" % (e, history.history["loss"][e]) for e in range(3)]
    assert names == sorted(want)
    assert text.splitlines() == ["Epoch %05d: saving model to %s" % (e, str(tmp_path / w))
                                 for e, w in enumerate(want)]
    # the last file holds the final weights
    restored = _model()
    restored.load_weights(str(tmp_path / want[-1]))
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_period_and_best_only(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "best.pt")
    cb = ModelCheckpoint(path, monitor="loss", save_best_only=True, save_weights_only=True,
                         period=2)
    model.fit(x, y, nb_epoch=4, verbose=0, callbacks=[cb])
    assert os.listdir(str(tmp_path)) == ["best.pt"]  # atomic: no temporary file left behind
    assert cb.best < np.inf
    cb2 = ModelCheckpoint(str(tmp_path / "e{epoch}.pt"), save_weights_only=True, period=2)
    model.fit(x, y, nb_epoch=5, verbose=0, callbacks=[cb2])
    assert sorted(os.listdir(str(tmp_path))) == ["best.pt", "e1.pt", "e3.pt"]


def test_model_checkpoint_missing_folder_is_a_clear_error(tmp_path):
    x, y = _data()
    model = _model()
    missing = str(tmp_path / "nope" / "w.pt")
    with pytest.raises(FileNotFoundError, match="ModelCheckpoint cannot save to .*does not exist"):
        model.fit(x, y, nb_epoch=1, verbose=0,
                  callbacks=[ModelCheckpoint(missing, save_weights_only=True)])
    templated = str(tmp_path / "run{epoch}" / "w.pt")
    with pytest.raises(FileNotFoundError, match="run0"):
        model.fit(x, y, nb_epoch=1, verbose=0,
                  callbacks=[ModelCheckpoint(templated, save_weights_only=True)])


def test_model_checkpoint_unknown_template_key_is_a_clear_error(tmp_path):
    x, y = _data()
    model = _model()
    cb = ModelCheckpoint(str(tmp_path / "w{val_loss:.2f}.pt"), save_weights_only=True)
    with pytest.raises(KeyError, match="uses \\{val_loss\\}.*available: epoch, loss"):
        model.fit(x, y, nb_epoch=1, verbose=0, callbacks=[cb])


def test_model_checkpoint_full_model_needs_save(tmp_path):
    class NoSave:
        pass
    cb = ModelCheckpoint(str(tmp_path / "m.h5"))
    cb.set_model(NoSave())
    with pytest.raises(AttributeError, match="model.save\\(\\).*save_weights_only=True"):
        cb.on_train_begin({})


def test_model_checkpoint_calls_model_save_when_not_weights_only(tmp_path):
    class Saver(_RecordingModel):
        def save(self, path, overwrite=True):
            self.saved.append(("model", path))
    model = Saver()
    cb = ModelCheckpoint(str(tmp_path / "m{epoch}.h5"))
    cb.set_model(model)
    cb.on_train_begin({})
    cb.on_epoch_end(0, {"val_loss": 1.0})
    assert model.saved == [("model", str(tmp_path / "m0.h5"))]


# -- CSVLogger -------------------------------------------------------------------------------
def test_csv_logger_bytes_match_keras1(ref, tmp_path):
    path = str(tmp_path / "log.csv")
    for append in (False, True):
        cb = CSVLogger(path, append=append)
        cb.set_model(_model())
        cb.on_train_begin({})
        for epoch in range(2):
            cb.on_epoch_end(epoch, {"loss": 0.5 / (epoch + 1), "val_loss": 0.75, "acc": 0.25,
                                    "val_acc": 0.125})
        cb.on_train_end({})
    with open(path, "rb") as handle:
        assert handle.read().decode("latin-1") == ref["csv_bytes"]


def test_csv_logger_in_fit_with_separator_and_lists(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "log.csv")
    extra = LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(pair=[1, 2]))
    history = model.fit(x, y, nb_epoch=2, verbose=0, validation_split=0.25,
                        callbacks=[extra, CSVLogger(path, separator=";")])
    with open(path) as handle:
        lines = handle.read().splitlines()
    assert lines[0] == "epoch;loss;pair;val_loss"
    assert len(lines) == 3
    fields = lines[1].split(";")
    assert fields[0] == "0" and float(fields[1]) == history.history["loss"][0]
    assert fields[2] == '"""[1, 2]"""'


def test_csv_logger_missing_folder(tmp_path):
    cb = CSVLogger(str(tmp_path / "nope" / "log.csv"))
    with pytest.raises(FileNotFoundError, match="CSVLogger cannot write"):
        cb.on_train_begin({})


# -- LambdaCallback --------------------------------------------------------------------------
def test_lambda_callback_hooks_and_noops():
    x, y = _data(40)
    model = _model()
    events = []
    cb = LambdaCallback(on_train_begin=lambda logs: events.append("train_begin"),
                        on_batch_end=lambda batch, logs: events.append(
                            ("batch", batch, type(logs["loss"]).__name__)),
                        on_epoch_end=lambda epoch, logs: events.append(("epoch", epoch)),
                        on_train_end=lambda logs: events.append("train_end"), tag="mine")
    assert cb.tag == "mine"
    cb.on_batch_begin(0, {})  # a missing hook is a no-op
    model.fit(x, y, nb_epoch=2, batch_size=20, verbose=0, callbacks=[cb])
    assert events == ["train_begin", ("batch", 0, "float"), ("batch", 1, "float"), ("epoch", 0),
                      ("batch", 0, "float"), ("batch", 1, "float"), ("epoch", 1), "train_end"]
    with pytest.raises(TypeError, match="on_epoch_end must be a function"):
        LambdaCallback(on_epoch_end=3)


def test_stop_training_from_a_batch_hook():
    x, y = _data(64)
    model = _model()

    def stop(batch, logs):
        if batch == 1:
            model.stop_training = True
    history = model.fit(x, y, nb_epoch=5, batch_size=16, verbose=0,
                        callbacks=[LambdaCallback(on_batch_end=stop)])
    assert history.epoch == [0]


# -- RemoteMonitor ---------------------------------------------------------------------------
def test_remote_monitor_posts_each_epoch_to_a_local_server():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body.decode()))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        x, y = _data()
        model = _model()
        root = "http://127.0.0.1:%d" % server.server_address[1]
        history = model.fit(x, y, nb_epoch=2, verbose=0, validation_split=0.25,
                            callbacks=[RemoteMonitor(root=root)])
    finally:
        server.shutdown()
        server.server_close()
    assert len(received) == 2
    for epoch, (path, headers, body) in enumerate(received):
        assert path == "/publish/epoch/end/"
        assert headers["Content-Type"] == "application/json"
        form = urllib.parse.parse_qs(body)
        sent = json.loads(form["data"][0])
        assert sent["epoch"] == epoch
        assert sent["loss"] == pytest.approx(history.history["loss"][epoch])
        assert sent["val_loss"] == pytest.approx(history.history["val_loss"][epoch])


def test_remote_monitor_unreachable_server_warns():
    cb = RemoteMonitor(root="http://127.0.0.1:9", timeout=2)
    with pytest.warns(UserWarning, match="could not reach RemoteMonitor root server"):
        cb.on_epoch_end(0, {"loss": np.float32(0.5), "lr": np.asarray(0.1, dtype="float32")})


# -- TensorBoard -----------------------------------------------------------------------------
def _events(log_dir):
    """Everything written under ``log_dir``, read back the way TensorBoard reads it."""
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing import event_accumulator

    # size_guidance 0 keeps every event (the default keeps one histogram per tag).
    events = event_accumulator.EventAccumulator(
        log_dir, size_guidance={kind: 0 for kind in (event_accumulator.SCALARS,
                                                     event_accumulator.HISTOGRAMS,
                                                     event_accumulator.IMAGES)})
    events.Reload()
    return events


def _classifier():
    model = Sequential([Dense(4, input_dim=3, activation="relu"), Dense(2, activation="softmax")])
    model.compile(SGD(lr=0.1), "categorical_crossentropy", metrics=["accuracy"])
    return model


def _class_data(n=64, seed=1):
    rng = np.random.RandomState(seed)
    x = rng.rand(n, 3).astype("float32")
    labels = (x[:, 0] > 0.5).astype("int64")
    return x, np.eye(2, dtype="float32")[labels]


def test_tensorboard_without_the_package_says_what_to_install(tmp_path, monkeypatch):
    import sys
    # What an interpreter without the package sees: torch.utils.tensorboard's own
    # ``import tensorboard`` fails (a None entry in sys.modules makes any import of it fail).
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    monkeypatch.delitem(sys.modules, "torch.utils.tensorboard", raising=False)
    with pytest.raises(ImportError, match="needs the `tensorboard` package.*pip install tensorboard"):
        TensorBoard(log_dir=str(tmp_path))
    assert not os.listdir(tmp_path)  # nothing written before the error


def test_tensorboard_scalars_are_the_history_values_per_epoch(tmp_path):
    pytest.importorskip("tensorboard")
    x, y = _class_data()
    val = _class_data(n=16, seed=2)
    log_dir = str(tmp_path / "logs")
    history = _classifier().fit(x, y, batch_size=16, nb_epoch=3, verbose=0, validation_data=val,
                                callbacks=[TensorBoard(log_dir=log_dir, write_graph=False)])
    events = _events(log_dir)
    # One scalar per log key (Keras 1 skipped only "batch" and "size"), at step = epoch.
    assert sorted(events.Tags()["scalars"]) == ["acc", "loss", "val_acc", "val_loss"]
    for key in ("loss", "acc", "val_loss", "val_acc"):
        written = events.Scalars(key)
        assert [e.step for e in written] == [0, 1, 2]
        # Event files store float32, as Keras 1's ``simple_value`` did.
        assert [e.value for e in written] == [float(np.float32(v)) for v in history.history[key]]
    assert events.Tags()["histograms"] == [] and not events.Tags()["graph"]


def test_tensorboard_steps_continue_from_initial_epoch(tmp_path):
    pytest.importorskip("tensorboard")
    x, y = _data()
    log_dir = str(tmp_path / "logs")
    history = _model().fit(x, y, nb_epoch=3, initial_epoch=1, verbose=0,
                           callbacks=[TensorBoard(log_dir=log_dir, write_graph=False)])
    written = _events(log_dir).Scalars("loss")
    assert [e.step for e in written] == [1, 2]
    assert [e.value for e in written] == [float(np.float32(v)) for v in history.history["loss"]]


def test_tensorboard_histograms_every_histogram_freq_epochs(tmp_path):
    pytest.importorskip("tensorboard")
    x, y = _class_data()
    model = _classifier()
    seen = {}  # epoch -> weights at the end of that epoch (what the histograms summarise)
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.__setitem__(
        epoch, dict(zip(model.layers[0].keras1_weight_names(), model.layers[0].get_weights()))))
    log_dir = str(tmp_path / "logs")
    model.fit(x, y, batch_size=16, nb_epoch=5, verbose=0,
              callbacks=[record, TensorBoard(log_dir=log_dir, histogram_freq=2, write_images=True,
                                             write_graph=False)])
    events = _events(log_dir)
    names = model.layers[0].keras1_weight_names() + model.layers[1].keras1_weight_names()
    assert sorted(events.Tags()["histograms"]) == sorted(names)
    for name in model.layers[0].keras1_weight_names():
        written = events.Histograms(name)
        assert [e.step for e in written] == [0, 2, 4]
        for event in written:
            weight = seen[event.step][name]
            summary = event.histogram_value
            assert summary.num == weight.size
            assert summary.min == pytest.approx(float(weight.min()), rel=1e-6)
            assert summary.max == pytest.approx(float(weight.max()), rel=1e-6)
            assert summary.sum == pytest.approx(float(weight.astype("float64").sum()), abs=1e-5)
    # write_images: the 2-D kernel as a grey image of its (input_dim, output_dim) shape.
    kernel = model.layers[0].keras1_weight_names()[0]
    assert kernel in events.Tags()["images"]
    images = events.Images(kernel)
    assert [e.step for e in images] == [0, 2, 4]
    assert (images[0].height, images[0].width) == seen[0][kernel].shape


def test_tensorboard_graph_only_when_asked(tmp_path, recwarn):
    pytest.importorskip("tensorboard")
    from keras_compat.layers import Input
    from keras_compat.models import Model

    inputs = Input(shape=(3,))
    functional = Model(inputs, Dense(2, activation="softmax")(Dense(4)(inputs)))
    functional.compile(SGD(lr=0.1), "categorical_crossentropy")
    x, y = _class_data()
    for name, model, write_graph in (("sequential", _classifier(), True),
                                     ("functional", functional, True),
                                     ("no_graph", _classifier(), False)):
        log_dir = str(tmp_path / name)
        model.fit(x, y, nb_epoch=1, verbose=0,
                  callbacks=[TensorBoard(log_dir=log_dir, write_graph=write_graph)])
        events = _events(log_dir)
        assert events.Tags()["graph"] is write_graph, name
        if write_graph:
            ops = [node.op for node in events.Graph().node]
            assert ops.count("aten::linear") == 2 and "aten::softmax" in ops, (name, ops)
            # The weights are graph inputs (named after the layers), not baked-in constants.
            inputs_of_linear = [list(node.input) for node in events.Graph().node
                                if node.op == "aten::linear"]
            assert all(any("dense_" in i for i in found) for found in inputs_of_linear)
    assert not [w for w in recwarn if "TensorBoard" in str(w.message)]
