"""Reference cases for the functional API, made with REAL Keras 1.2.2 (run via run_keras1.sh).

Cases: shared-layer siamese model, Merge-in-Sequential (bAbI style), nested model
(Sequential inside a Model), custom layer with its own weights.  Each writes
inputs/<case>.npz (x_*, w_* in get_weights() order) and <backend>/<case>.npz (y_*, meta).
Usage: run_keras1.sh tools/oracle_cases/functional_cases.py OUT_DIR
"""
import json
import os
import sys

import numpy as np
from keras import backend as K
from keras.engine.topology import Layer
from keras.layers import Dense, Input, Merge, merge
from keras.models import Model, Sequential

OUT = sys.argv[1]
BACKEND = K.backend()


class ScaleShift(Layer):
    """y = x * W + b (elementwise weights), written as 2016 custom layers were."""

    def __init__(self, **kwargs):
        super(ScaleShift, self).__init__(**kwargs)

    def build(self, input_shape):
        d = input_shape[-1]
        self.W = K.variable(np.ones((d,)), name='{}_W'.format(self.name))
        self.b = K.variable(np.zeros((d,)), name='{}_b'.format(self.name))
        self.trainable_weights = [self.W, self.b]

    def call(self, x, mask=None):
        return K.tanh(x * self.W + self.b)

    def get_output_shape_for(self, input_shape):
        return input_shape


def siamese():
    a = Input(shape=(5,))
    b = Input(shape=(5,))
    shared = Dense(4, activation='tanh')
    ha, hb = shared(a), shared(b)
    d = merge([ha, hb], mode=lambda t: K.sqrt(K.sum(K.square(t[0] - t[1]), axis=1, keepdims=True)),
              output_shape=(1,))
    s = merge([ha, hb], mode='max')
    out = Dense(2, activation='softmax')(merge([s, d], mode='concat'))
    return Model(input=[a, b], output=out), [(4, 5), (4, 5)]


def merge_in_sequential():
    left = Sequential([Dense(3, input_dim=4, activation='relu')])
    right = Sequential([Dense(3, input_dim=6, activation='tanh')])
    m = Sequential()
    m.add(Merge([left, right], mode='concat'))
    m.add(Dense(2, activation='softmax'))
    return m, [(4, 4), (4, 6)]


def nested():
    inner = Sequential([Dense(4, input_dim=3, activation='relu'), Dense(3)])
    x = Input(shape=(3,))
    y = inner(x)
    y2 = inner(y)
    out = Dense(2)(merge([y, y2], mode='sum'))
    return Model(input=x, output=out), [(4, 3)]


def custom_layer():
    x = Input(shape=(4,))
    h = Dense(3)(x)
    out = ScaleShift()(h)
    return Model(input=x, output=out), [(4, 4)]


CASES = {'functional_siamese_shared': siamese, 'functional_merge_in_sequential': merge_in_sequential,
         'functional_nested_model': nested, 'functional_custom_layer': custom_layer}

for name, builder in sorted(CASES.items()):
    model, shapes = builder()
    rng = np.random.RandomState(abs(hash(name)) % (2 ** 31) if False else len(name) * 7919)
    inputs_path = os.path.join(OUT, 'inputs', name + '.npz')
    if os.path.exists(inputs_path):
        data = np.load(inputs_path)
        xs = [data['x_%d' % i] for i in range(len(shapes))]
        ws = [data['w_%02d' % i] for i in range(len(model.get_weights()))]
    else:
        xs = [rng.uniform(-1, 1, s).astype('float32') for s in shapes]
        ws = [rng.uniform(-0.5, 0.5, w.shape).astype('float32') + (1.0 if w.ndim == 1 and 'W' in n
                                                                     else 0.)
              for w, n in zip(model.get_weights(), [str(v.name) for v in model.weights])]
        os.makedirs(os.path.dirname(inputs_path), exist_ok=True)
        np.savez(inputs_path, **dict([('x_%d' % i, x) for i, x in enumerate(xs)] +
                                     [('w_%02d' % i, w) for i, w in enumerate(ws)]))
    model.set_weights(ws)
    y = model.predict(xs if len(xs) > 1 else xs[0], batch_size=len(xs[0]))
    meta = {'case': name, 'backend': BACKEND, 'config': model.get_config(),
            'weight_shapes': [list(w.shape) for w in ws], 'keras': '1.2.2'}
    out_dir = os.path.join(OUT, BACKEND)
    os.makedirs(out_dir, exist_ok=True)
    np.savez(os.path.join(out_dir, name + '.npz'), y=y, meta=json.dumps(meta, default=str))
    print(name, y.shape)
