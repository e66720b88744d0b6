"""Byte-exact checks of Progbar against Keras 1.2.2 output (keras.utils.generic_utils.Progbar)."""
import types

import numpy as np
import pytest

import keras_compat.training.progbar as progbar_mod
from keras_compat.training.progbar import Progbar


class FakeClock(object):
    def __init__(self, now=1000.0):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(progbar_mod, 'time',
                        types.SimpleNamespace(time=fake.time))
    return fake


def _take(capsys):
    return capsys.readouterr().out


def test_fit_verbose1_example_line(clock, capsys):
    # Keras 1.2.2, verbose=1: 300/800 drawn, then the forced final line at 800/800
    bar = Progbar(800)
    clock.now += 0.2
    bar.update(300, [('loss', 2.4015), ('acc', 0.1167)])
    first = ('\r300/800 [==========>...................] - ETA: 0s'
             ' - loss: 2.4015 - acc: 0.1167')
    assert _take(capsys) == first
    assert bar.total_width == 79
    clock.now += 0.3
    # last batch values (weight 500) give the epoch averages below
    bar.update(800, [('loss', 2.37766), ('acc', 0.11206),
                     ('val_loss', 2.3673), ('val_acc', 0.14)], force=True)
    second = ('\b' * 79 + '\r800/800 [==============================] - 0s'
              ' - loss: 2.3866 - acc: 0.1138 - val_loss: 2.3673'
              ' - val_acc: 0.1400\n')
    assert _take(capsys) == second


def test_verbose2_example_line(clock, capsys):
    # Keras 1.2.2, verbose=2: nothing until the target, then one line
    bar = Progbar(1000, verbose=2)
    bar.update(500, [('loss', 2.3646), ('acc', 0.113)])
    assert _take(capsys) == ''
    clock.now += 0.7
    bar.update(1000, [('loss', 2.3646), ('acc', 0.113),
                      ('val_loss', 2.3673), ('val_acc', 0.16)], force=True)
    assert _take(capsys) == ('0s - loss: 2.3646 - acc: 0.1130'
                             ' - val_loss: 2.3673 - val_acc: 0.1600\n')


def test_verbose2_elapsed_and_no_abs(clock, capsys):
    bar = Progbar(10, verbose=2)
    clock.now += 12.9
    bar.update(10, [('loss', -0.5), ('tiny', 0.0005), ('big', 3.0)])
    # no abs() in verbose 2: a negative average prints in %.4e
    assert _take(capsys) == ('12s - loss: -5.0000e-01 - tiny: 5.0000e-04'
                             ' - big: 3.0000\n')


def test_verbose1_abs_and_exponent_branch(clock, capsys):
    bar = Progbar(10)
    bar.update(10, [('loss', -0.5), ('tiny', 0.0005), ('zero', 0.0),
                    ('neg_tiny', -0.0001)])
    assert _take(capsys) == ('\r10/10 [==============================] - 0s'
                             ' - loss: -0.5000 - tiny: 5.0000e-04'
                             ' - zero: 0.0000e+00 - neg_tiny: -1.0000e-04\n')


def test_rate_limit_and_force(clock, capsys):
    bar = Progbar(100)
    bar.update(10)                    # first draw always happens
    out = _take(capsys)
    assert out == '\r 10/100 [==>...........................] - ETA: 0s'
    width = bar.total_width
    assert width == len(out) - 1
    clock.now += 0.01
    bar.update(20)                    # < interval: nothing
    assert _take(capsys) == ''
    clock.now += 0.01
    bar.update(30, force=True)        # forced
    assert _take(capsys) == ('\b' * width + '\r 30/100 [========>'
                             '.....................] - ETA: 0s')
    clock.now += 0.04
    bar.update(40)
    assert _take(capsys) == ''
    clock.now += 0.02                 # 0.06 s after the last draw
    bar.update(50)
    assert _take(capsys).endswith(' 50/100 [==============>'
                                  '...............] - ETA: 0s')


def test_eta_and_elapsed_are_truncated(clock, capsys):
    bar = Progbar(10)
    clock.now += 3.9
    bar.update(3)    # 1.3 s per sample * 7 remaining = 9.1 -> 9
    first = '\r 3/10 [========>.....................] - ETA: 9s'
    assert _take(capsys) == first
    clock.now += 6.0
    bar.update(10)   # elapsed 9.9 -> 9; ' - ETA: 9s' -> ' - 9s': 5 spaces
    assert _take(capsys) == ('\b' * (len(first) - 1) +
                             '\r10/10 [==============================] - 9s'
                             + ' ' * 5 + '\n')


def test_shrinking_line_is_padded(clock, capsys):
    bar = Progbar(1000)
    clock.now += 10.0
    bar.update(1, [('loss', 0.0001)])   # ETA 9990s, %.4e value
    first = _take(capsys)
    assert first == ('\r   1/1000 [..............................]'
                     ' - ETA: 9990s - loss: 1.0000e-04')
    w1 = len(first) - 1
    assert bar.total_width == w1
    clock.now += 10.0
    # running average (0.0001*1 + 0.5*499)/500 = 0.4990; ETA 20s
    bar.update(500, [('loss', 0.5)])
    text = ('\r 500/1000 [==============>...............]'
            ' - ETA: 20s - loss: 0.4990')
    pad = w1 - (len(text) - 1)
    assert pad == 6   # '9990s' -> '20s', '1.0000e-04' -> '0.4990'
    assert _take(capsys) == '\b' * w1 + text + ' ' * pad
    assert bar.total_width == len(text) - 1   # padding is not counted


def test_weighted_running_average_and_first_seen_order(clock, capsys):
    bar = Progbar(40, verbose=2)
    bar.add(10, [('b', 1.0), ('a', 2.0)])
    bar.add(30, [('a', 4.0)])            # a: (2*10 + 4*30) / 40 = 3.5
    assert _take(capsys) == '0s - b: 1.0000 - a: 3.5000\n'
    assert bar.seen_so_far == 40


def test_duplicate_keys_in_one_update_share_the_weight(clock, capsys):
    # ProgbarLogger.on_epoch_end: last batch value + epoch average, same key
    bar = Progbar(4, verbose=2)
    bar.update(2, [('loss', 1.0)])
    bar.update(4, [('loss', 3.0), ('loss', 2.0)])
    # (1*2 + 3*2 + 2*2) / 6 = 2.0
    assert _take(capsys) == '0s - loss: 2.0000\n'


def test_values_accept_numpy_and_strings(clock, capsys):
    bar = Progbar(2, verbose=2)
    bar.update(2, [('loss', np.float32(0.25)), ('acc', '0.5')])
    assert _take(capsys) == '0s - loss: 0.2500 - acc: 0.5000\n'


def test_evaluate_style_partial_line(clock, capsys):
    # Keras 1.2.2 evaluate/predict(verbose=1): unforced updates within 0.05 s are not drawn,
    # so a fast run never prints the final line
    bar = Progbar(1000)
    for seen in range(100, 1001, 100):
        bar.update(seen)
    assert _take(capsys) == '\r 100/1000 [==>...........................] - ETA: 0s'


def test_zero_progress_and_verbose0(clock, capsys):
    bar = Progbar(5)
    bar.update(0)
    assert _take(capsys) == '\r0/5 [..............................] - ETA: 0s'
    silent = Progbar(5, verbose=0)
    silent.update(5, [('loss', 1.0)], force=True)
    assert _take(capsys) == ''


def test_custom_width(clock, capsys):
    bar = Progbar(4, width=8)
    bar.update(2)
    assert _take(capsys) == '\r2/4 [===>....] - ETA: 0s'


def test_generic_utils_reexport():
    from keras_compat.utils.generic_utils import Progbar as P
    assert P is Progbar


def test_get_from_module():
    from keras_compat.utils.generic_utils import get_from_module

    class Thing(object):
        def __init__(self, a=1):
            self.a = a

    params = {'thing': Thing}
    assert get_from_module('thing', params, 'thing') is Thing
    assert get_from_module('thing', params, 'thing', instantiate=True).a == 1
    assert get_from_module('thing', params, 'thing', instantiate=True,
                           kwargs={'a': 5}).a == 5
    config = {'name': 'thing', 'a': 7}
    assert get_from_module(config, params, 'thing').a == 7
    assert config == {'name': 'thing', 'a': 7}
    obj = Thing()
    assert get_from_module(obj, params, 'thing') is obj
    with pytest.raises(ValueError, match='Invalid optimizer: nope'):
        get_from_module('nope', params, 'optimizer')
    with pytest.raises(ValueError, match='Invalid thing'):
        get_from_module({'name': 'nope'}, params, 'thing')
