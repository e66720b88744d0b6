"""`keras-compat port` names each step that runs for more than a second, with its duration;
`--quiet` silences it. Time is driven by hand (a fake clock and timer), never slept."""
import os

import pytest

pytest.importorskip("h5py")

from keras_compat import _runner  # noqa: E402
from keras_compat.port import cli  # noqa: E402

MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "hdf5",
                     "convnet_th_model.h5")


class FakeTime:
    """A clock that moves only when told to, firing the timers that fall due on the way."""

    def __init__(self):
        self.now = 100.0
        self.timers = []

    def clock(self):
        return self.now

    def start_timer(self, delay, action):
        timer = FakeTimer(self.now + delay, action)
        self.timers.append(timer)
        return timer

    def advance(self, seconds):
        self.now += seconds
        for timer in self.timers:
            if not timer.cancelled and not timer.fired and timer.due <= self.now:
                timer.fired = True
                timer.action()


class FakeTimer:
    def __init__(self, due, action):
        self.due, self.action = due, action
        self.cancelled = self.fired = False

    def cancel(self):
        self.cancelled = True


@pytest.fixture
def fake_time(monkeypatch):
    fake = FakeTime()
    original = cli.StepProgress.__init__

    def with_fake_time(self, quiet=False, clock=None, start_timer=None):
        original(self, quiet=quiet, clock=fake.clock, start_timer=fake.start_timer)

    monkeypatch.setattr(cli.StepProgress, "__init__", with_fake_time)
    return fake


def test_a_slow_step_is_named_after_a_second_and_timed_when_it_ends(fake_time, capsys):
    progress = cli.StepProgress()
    with progress.step("loading model.h5"):
        fake_time.advance(0.5)
        assert capsys.readouterr().err == ""  # nothing before a second has passed
        fake_time.advance(0.75)
        assert capsys.readouterr().err == "loading model.h5...\n"
        fake_time.advance(2.25)
    assert capsys.readouterr().err == "loading model.h5: done in 3.5 s\n"


def test_a_quick_step_prints_nothing(fake_time, capsys):
    progress = cli.StepProgress()
    with progress.step("tracing"):
        fake_time.advance(0.99)
    assert capsys.readouterr().err == ""
    assert [timer.cancelled for timer in fake_time.timers] == [True]


def test_a_slow_step_whose_timer_did_not_fire_still_reports_its_duration(fake_time, capsys):
    progress = cli.StepProgress()
    with progress.step("checking"):
        fake_time.now += 1.5  # the clock moved but the timer thread never ran
    assert capsys.readouterr().err == "checking: done in 1.5 s\n"


def test_a_failing_slow_step_says_it_failed(fake_time, capsys):
    progress = cli.StepProgress()
    with pytest.raises(ValueError):
        with progress.step("loading broken.h5"):
            fake_time.advance(4.0)
            raise ValueError("bad file")
    assert capsys.readouterr().err == ("loading broken.h5...\n"
                                       "loading broken.h5: failed after 4.0 s\n")


def test_quiet_prints_nothing_and_starts_no_timer(fake_time, capsys):
    progress = cli.StepProgress(quiet=True)
    with progress.step("loading model.h5"):
        fake_time.advance(5.0)
    assert capsys.readouterr().err == ""
    assert fake_time.timers == []


def _slow_steps(monkeypatch, fake_time, seconds):
    """Make the port's loading, tracing and checking take the given seconds of fake time."""
    real_load, real_generate, real_inputs = cli._load, cli.generate_port, cli._random_inputs

    def load(args):
        fake_time.advance(seconds["loading"])
        return real_load(args)

    def generate(model, class_name):
        fake_time.advance(seconds["tracing"])
        return real_generate(model, class_name)

    def random_inputs(model):
        fake_time.advance(seconds["checking"])
        return real_inputs(model)

    monkeypatch.setattr(cli, "_load", load)
    monkeypatch.setattr(cli, "generate_port", generate)
    monkeypatch.setattr(cli, "_random_inputs", random_inputs)


def test_port_reports_its_slow_steps_on_stderr(fake_time, monkeypatch, tmp_path, capsys):
    _slow_steps(monkeypatch, fake_time, {"loading": 2.5, "tracing": 0.25, "checking": 1.5})
    out = str(tmp_path / "net.py")
    assert _runner.main(["port", MODEL, "--out", out]) == 0
    captured = capsys.readouterr()
    assert captured.err == ("loading %s...\n"
                            "loading %s: done in 2.5 s\n"
                            "checking the port against the Keras model...\n"
                            "checking the port against the Keras model: done in 1.5 s\n"
                            % (MODEL, MODEL))
    assert captured.out.startswith("wrote %s (class PortedModel) and %s\n"
                                   % (out, out[:-3] + ".pt"))


@pytest.mark.parametrize("flag", ["--quiet", "-q"])
def test_port_quiet_prints_no_progress(fake_time, monkeypatch, tmp_path, capsys, flag):
    _slow_steps(monkeypatch, fake_time, {"loading": 2.5, "tracing": 3.0, "checking": 1.5})
    out = str(tmp_path / "net.py")
    assert _runner.main(["port", MODEL, "--out", out, flag]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "max |torch - keras|" in captured.out
