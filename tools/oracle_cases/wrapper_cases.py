"""Reference numbers from REAL Keras 1.2.2 for the wrappers and ConvLSTM2D.

Run under the oracle (Python 3.6, Keras 1.2.2), once per backend:

    KERAS1_BACKEND=theano     /work/shared/oracle/run_keras1.sh tools/oracle_cases/wrapper_cases.py
    KERAS1_BACKEND=tensorflow /work/shared/oracle/run_keras1.sh tools/oracle_cases/wrapper_cases.py

Optional arguments select cases by substring.  For each case the model is built,
``tests/data/oracle/inputs/<case>.npz`` is read (or created from a seeded RNG on first use:
inputs uniform(-1, 1), weights uniform(-0.5, 0.5), in ``model.get_weights()`` order as
``w_00, w_01, ...``), the weights are set, and ``tests/data/oracle/<backend>/<case>.npz``
receives ``y`` (``model.predict(x, batch_size=len(x))``, test phase) and ``meta`` (JSON:
description, model config, weight names and shapes, versions).
"""
from __future__ import print_function

import json
import os
import sys
import zlib

import numpy as np

import keras
from keras import backend as K
from keras.layers import (LSTM, GRU, SimpleRNN, ConvLSTM2D, Convolution2D, Dense, Embedding,
                          Bidirectional, TimeDistributed)
from keras.models import Sequential

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, 'tests', 'data', 'oracle')
BACKEND = K.backend()

CASES = []


def case(name, desc, x_shape, x_kind='float'):
    def deco(fn):
        CASES.append((name, desc, x_shape, x_kind, fn))
        return fn
    return deco


# -- ConvLSTM2D ---------------------------------------------------------------------------
def _convlstm(ordering, border_mode, return_sequences, go_backwards=False, nb_row=3, nb_col=3):
    shape = (4, 2, 6, 5) if ordering == 'th' else (4, 6, 5, 2)

    def build():
        m = Sequential()
        m.add(ConvLSTM2D(3, nb_row, nb_col, dim_ordering=ordering, border_mode=border_mode,
                         return_sequences=return_sequences, go_backwards=go_backwards,
                         input_shape=shape))
        return m
    return build, (2,) + shape


for _ordering in ('th', 'tf'):
    for _border in ('same', 'valid'):
        for _seq in (True, False):
            _name = 'convlstm2d_%s_%s_%s' % (_ordering, _border, 'seq' if _seq else 'last')
            _build, _shape = _convlstm(_ordering, _border, _seq)
            case(_name, 'ConvLSTM2D(3, 3, 3, dim_ordering=%r, border_mode=%r, return_sequences=%r) '
                 'on %s' % (_ordering, _border, _seq, (_shape[1:],)), _shape)(_build)

_build, _shape = _convlstm('tf', 'same', True, go_backwards=True)
case('convlstm2d_tf_same_seq_backwards', 'ConvLSTM2D(3, 3, 3, dim_ordering="tf", '
     'border_mode="same", return_sequences=True, go_backwards=True)', _shape)(_build)


# -- TimeDistributed ----------------------------------------------------------------------
@case('td_conv2d_th', 'TimeDistributed(Convolution2D(3, 3, 2, dim_ordering="th")) on (4, 2, 6, 5)',
      (2, 4, 2, 6, 5))
def _():
    m = Sequential()
    m.add(TimeDistributed(Convolution2D(3, 3, 2, dim_ordering='th'), input_shape=(4, 2, 6, 5)))
    return m


@case('td_conv2d_tf_same', 'TimeDistributed(Convolution2D(3, 3, 3, border_mode="same", '
      'dim_ordering="tf")) on (4, 6, 5, 2)', (2, 4, 6, 5, 2))
def _():
    m = Sequential()
    m.add(TimeDistributed(Convolution2D(3, 3, 3, border_mode='same', dim_ordering='tf'),
                          input_shape=(4, 6, 5, 2)))
    return m


@case('td_dense_masked_lstm', 'Embedding(20, 4, mask_zero=True, input_length=6) -> '
      'TimeDistributed(Dense(5)) -> LSTM(3); trailing zeros are masked', (3, 6), 'int:20')
def _():
    m = Sequential()
    m.add(Embedding(20, 4, mask_zero=True, input_length=6))
    m.add(TimeDistributed(Dense(5)))
    m.add(LSTM(3))
    return m


# -- Bidirectional ------------------------------------------------------------------------
for _mode in ('sum', 'mul', 'ave'):
    def _make(mode):
        def build():
            m = Sequential()
            m.add(Bidirectional(LSTM(4, return_sequences=True), merge_mode=mode,
                                input_shape=(6, 5)))
            return m
        return build
    case('bidirectional_lstm_%s' % _mode, 'Bidirectional(LSTM(4, return_sequences=True), '
         'merge_mode=%r) on (6, 5)' % _mode, (3, 6, 5))(_make(_mode))


@case('bidirectional_gru_last', 'Bidirectional(GRU(3), merge_mode="concat") on (6, 5) '
      '(return_sequences=False: the backward output is not reversed)', (3, 6, 5))
def _():
    m = Sequential()
    m.add(Bidirectional(GRU(3), input_shape=(6, 5)))
    return m


@case('bidirectional_simplernn_weights_arg', 'Bidirectional(SimpleRNN(3, return_sequences=True), '
      'on (6, 5); our test feeds these weights through Bidirectional(weights=...) (split in half)', (3, 6, 5))
def _():
    m = Sequential()
    m.add(Bidirectional(SimpleRNN(3, return_sequences=True), input_shape=(6, 5)))
    return m


def _names(model):
    return [str(w.name) for layer in model.layers for w in layer.weights]


def _inputs(name, x_shape, x_kind, model):
    path = os.path.join(DATA, 'inputs', name + '.npz')
    if not os.path.exists(path):
        rng = np.random.RandomState(zlib.crc32(name.encode()) & 0xffff)
        if x_kind.startswith('int:'):
            x = rng.randint(1, int(x_kind[4:]), size=x_shape).astype('int32')
            x[0, -2:] = 0
            x[1, -4:] = 0
        else:
            x = rng.uniform(-1, 1, size=x_shape).astype('float32')
        arrays = {'x_0': x}
        for i, w in enumerate(model.get_weights()):
            arrays['w_%02d' % i] = rng.uniform(-0.5, 0.5, size=w.shape).astype('float32')
        arrays['weight_names'] = np.array(_names(model))
        np.savez(path, **arrays)
    data = np.load(path)
    weights = [data['w_%02d' % i] for i in range(len([k for k in data.files if k.startswith('w_')]))]
    return data['x_0'], weights


def main(selected):
    os.makedirs(os.path.join(DATA, 'inputs'), exist_ok=True)
    os.makedirs(os.path.join(DATA, BACKEND), exist_ok=True)
    for name, desc, x_shape, x_kind, build in CASES:
        if selected and not any(s in name for s in selected):
            continue
        np.random.seed(1234)
        model = build()
        x, weights = _inputs(name, x_shape, x_kind, model)
        model.set_weights(weights)
        y = model.predict(x, batch_size=len(x))
        meta = {'case': name, 'description': desc, 'backend': BACKEND,
                'keras_version': keras.__version__, 'numpy_version': np.__version__,
                'python': sys.version.split()[0], 'config': model.get_config(),
                'weight_names': _names(model),
                'weight_shapes': [list(w.shape) for w in weights],
                'script': 'tools/oracle_cases/wrapper_cases.py'}
        np.savez(os.path.join(DATA, BACKEND, name + '.npz'), y=y,
                 meta=np.array(json.dumps(meta, default=str)))
        print(name, BACKEND, y.shape, flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
