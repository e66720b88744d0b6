"""Make tests/data/walkthrough/bars_convnet_theano.h5 and bars_keras1_predictions.npy with real
Keras 1.2.2 on Theano, channels-first, by running the walkthrough's unmodified Keras-1 script
(tests/data/walkthrough/train_bars.py) in a scratch folder.

Usage (from the repository root):
    KERAS1_BACKEND=theano KERAS1_DIM_ORDERING=th /work/shared/oracle/run_keras1.sh \\
        tools/oracle_cases/walkthrough_case.py
"""
from __future__ import print_function
import os
import runpy
import shutil
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'tests', 'data', 'walkthrough')


def main():
    import keras
    from keras import backend as K
    assert keras.__version__ == '1.2.2', keras.__version__
    assert K.backend() == 'theano' and K.image_dim_ordering() == 'th', (K.backend(),
                                                                        K.image_dim_ordering())
    scratch = tempfile.mkdtemp()
    for name in ('train_bars.py', 'bars_data.py'):
        shutil.copy(os.path.join(DATA, name), scratch)
    os.chdir(scratch)
    sys.path.insert(0, scratch)
    runpy.run_path('train_bars.py', run_name='__main__')
    from bars_data import make_data
    from keras.models import load_model
    model = load_model('bars_convnet.h5')
    X_test, _ = make_data(200, seed=1)
    np.save(os.path.join(DATA, 'bars_keras1_predictions.npy'), model.predict(X_test[:20]))
    shutil.copy('bars_convnet.h5', os.path.join(DATA, 'bars_convnet_theano.h5'))
    print('wrote', os.path.join(DATA, 'bars_convnet_theano.h5'))


if __name__ == '__main__':
    main()
