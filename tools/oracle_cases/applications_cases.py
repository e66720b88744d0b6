"""Reference data for keras.applications, made with REAL Keras 1.2.2 (run via run_keras1.sh).

For the process's backend and image_dim_ordering it writes, under OUT_DIR:
  summaries/<case>_<ordering>.txt   model.summary() of each application built with weights=None
                                    (layer uids reset before each build, as a fresh process has them)
  behaviour_<backend>_<ordering>.json  the errors (type and message) and warnings each bad call
                                    gives, and the dim ordering left behind by Xception
  imagenet_utils_<ordering>.npz     preprocess_input on a fixed batch (result and the caller's
                                    array afterwards), decode_predictions with a made-up class index
  audio_conv_utils.npz              MusicTaggerCRNN decode_predictions on fixed scores
  api.json                          each applications module's own functions (signatures) and
                                    constants (values), and the names the package exports
Usage (once per ordering, both backends; Xception only builds under tensorflow):
  KERAS1_BACKEND=theano KERAS1_DIM_ORDERING=tf run_keras1.sh tools/oracle_cases/applications_cases.py OUT
"""
import importlib
import inspect
import io
import json
import os
import sys
import time
import warnings
from contextlib import redirect_stdout

import numpy as np
from keras import backend as K
from keras.backend import common as backend_common
from keras.layers import Input
from keras.applications import imagenet_utils, audio_conv_utils
from keras.applications.vgg16 import VGG16
from keras.applications.vgg19 import VGG19
from keras.applications.resnet50 import ResNet50
from keras.applications.inception_v3 import InceptionV3
from keras.applications.xception import Xception
from keras.applications.music_tagger_crnn import MusicTaggerCRNN

OUT = sys.argv[1]
ONLY = set(sys.argv[2:])
BACKEND = K.backend()
ORDERING = K.image_dim_ordering()


def image_shape(size):
    return (3, size, size) if ORDERING == 'th' else (size, size, 3)


def tagged_input():
    # A user-made input tensor named 'image': the model must take it as its input layer.
    return dict(include_top=False, weights=None, input_tensor=Input(shape=image_shape(64), name='image'))


SUMMARIES = [
    ('vgg16', VGG16, dict(weights=None)),
    ('vgg16_notop', VGG16, dict(include_top=False, weights=None)),
    ('vgg16_notop_200', VGG16, dict(include_top=False, weights=None, input_shape=image_shape(200))),
    ('vgg16_classes10', VGG16, dict(weights=None, classes=10)),
    ('vgg16_input_tensor', VGG16, tagged_input),
    ('vgg19', VGG19, dict(weights=None)),
    ('vgg19_notop', VGG19, dict(include_top=False, weights=None)),
    ('music_tagger_crnn', MusicTaggerCRNN, dict(weights=None)),
    ('music_tagger_crnn_notop', MusicTaggerCRNN, dict(weights=None, include_top=False)),
    ('resnet50', ResNet50, dict(weights=None)),
    ('resnet50_notop', ResNet50, dict(include_top=False, weights=None)),
    ('inception_v3', InceptionV3, dict(weights=None)),
    ('inception_v3_notop', InceptionV3, dict(include_top=False, weights=None)),
    ('xception', Xception, dict(weights=None)),
    ('xception_notop', Xception, dict(include_top=False, weights=None)),
]

BAD_CALLS = [
    ('vgg16_bad_weights', VGG16, dict(weights='places')),
    ('vgg16_imagenet_classes', VGG16, dict(weights='imagenet', classes=10)),
    ('vgg16_top_shape', VGG16, dict(weights=None, input_shape=image_shape(100))),
    ('vgg16_rank', VGG16, dict(include_top=False, weights=None, input_shape=(100, 100))),
    ('vgg16_channels', VGG16, dict(include_top=False, weights=None,
                                   input_shape=(4, 100, 100) if ORDERING == 'th' else (100, 100, 4))),
    ('vgg16_small', VGG16, dict(include_top=False, weights=None, input_shape=image_shape(47))),
    ('resnet50_small', ResNet50, dict(include_top=False, weights=None, input_shape=image_shape(196))),
    ('inception_v3_small', InceptionV3, dict(include_top=False, weights=None,
                                             input_shape=image_shape(138))),
    ('xception_small', Xception, dict(include_top=False, weights=None, input_shape=(70, 70, 3))),
    ('xception_bad_weights', Xception, dict(weights='places')),
    ('music_tagger_bad_weights', MusicTaggerCRNN, dict(weights='imagenet')),
    ('music_tagger_msd_classes', MusicTaggerCRNN, dict(weights='msd', classes=10)),
]


def call(builder, kwargs):
    backend_common.reset_uids()
    if callable(kwargs):
        kwargs = kwargs()
    return builder(**kwargs)


def record(builder, kwargs):
    entry = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            model = call(builder, kwargs)
        except Exception as err:
            model = None
            entry['error'] = [type(err).__name__, str(err)]
    # Keras' own warnings; TensorFlow 1.x's C bindings add DeprecationWarnings of their own.
    entry['warnings'] = [str(w.message) for w in caught
                         if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    entry['ordering_after'] = K.image_dim_ordering()
    K.set_image_dim_ordering(ORDERING)
    return model, entry


MODULES = ['imagenet_utils', 'audio_conv_utils', 'vgg16', 'vgg19', 'resnet50', 'inception_v3',
           'xception', 'music_tagger_crnn']


def api():
    table = {'keras.applications': sorted(n for n in dir(importlib.import_module('keras.applications'))
                                          if not n.startswith('_') and n[0].isupper())}
    for short in MODULES:
        module = importlib.import_module('keras.applications.' + short)
        entries = {}
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                entries[name] = 'function' + str(inspect.signature(value))
            elif inspect.isfunction(value):
                entries[name] = 'imported function' + str(inspect.signature(value))
            elif name.isupper() and isinstance(value, (str, list)):
                entries[name] = value
        table['keras.applications.' + short] = entries
    with open(os.path.join(OUT, 'api.json'), 'w') as handle:
        json.dump(table, handle, indent=1, sort_keys=True)


def main():
    api()
    os.makedirs(os.path.join(OUT, 'summaries'), exist_ok=True)
    behaviour = {}
    for case, builder, kwargs in SUMMARIES:
        if ONLY and case not in ONLY:
            continue
        start = time.time()
        model, entry = record(builder, kwargs)
        entry['build_seconds'] = round(time.time() - start, 1)
        behaviour[case] = entry
        if model is not None:
            text = io.StringIO()
            with redirect_stdout(text):
                model.summary()
            name = '%s_%s.txt' % (case, ORDERING)
            with open(os.path.join(OUT, 'summaries', name), 'w') as handle:
                handle.write(text.getvalue())
        print(case, entry, file=sys.stderr)
    for case, builder, kwargs in BAD_CALLS:
        if ONLY and case not in ONLY:
            continue
        behaviour[case] = record(builder, kwargs)[1]
    with open(os.path.join(OUT, 'behaviour_%s_%s.json' % (BACKEND, ORDERING)), 'w') as handle:
        json.dump(behaviour, handle, indent=1, sort_keys=True)
    if BACKEND == 'theano':
        utils_cases()


def utils_cases():
    rng = np.random.RandomState(11)
    images = (rng.rand(2, 3, 4, 5) * 255).astype('float32') if ORDERING == 'th' else \
        (rng.rand(2, 4, 5, 3) * 255).astype('float32')
    given = images.copy()
    result = imagenet_utils.preprocess_input(given)
    preds = rng.rand(3, 1000).astype('float32')
    # decode_predictions would download the class index: give it a made-up one instead.
    imagenet_utils.CLASS_INDEX = {str(i): ['n%08d' % i, 'class_%d' % i] for i in range(1000)}
    decoded = imagenet_utils.decode_predictions(preds, top=4)
    explicit = imagenet_utils.preprocess_input(images.copy(), dim_ordering='tf' if ORDERING == 'th'
                                               else 'th')
    np.savez(os.path.join(OUT, 'imagenet_utils_%s.npz' % ORDERING), images=images,
             result=result, given_after=given, explicit_other=explicit, preds=preds,
             decoded=json.dumps([[[str(c) for c in t[:2]] + [float(t[2])] for t in row]
                                 for row in decoded]))
    errors = {}
    for name, fn in [('decode_1d', lambda: imagenet_utils.decode_predictions(preds[0])),
                     ('decode_999', lambda: imagenet_utils.decode_predictions(preds[:, :999])),
                     ('audio_preprocess', lambda: audio_conv_utils.preprocess_input('x.mp3')),
                     ('audio_decode_49', lambda: audio_conv_utils.decode_predictions(preds[:, :49]))]:
        try:
            fn()
        except Exception as err:
            errors[name] = [type(err).__name__, str(err)]
    scores = rng.rand(2, 50).astype('float32')
    tags = audio_conv_utils.decode_predictions(scores, top_n=3)
    np.savez(os.path.join(OUT, 'audio_conv_utils.npz'), scores=scores,
             decoded=json.dumps([[[t, float(s)] for t, s in row] for row in tags]),
             errors=json.dumps(errors))


main()
