'''The Antirectifier custom layer (Keras-1 antirectifier.py style, synthetic data).'''
from __future__ import print_function
import numpy as np
np.random.seed(1337)

from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation
from keras.engine.topology import Layer
from keras import backend as K


class Antirectifier(Layer):
    '''Concatenation of the positive part and the negative part of the centered, L2-normalised
    input: twice the features of its input.'''

    def get_output_shape_for(self, input_shape):
        shape = list(input_shape)
        assert len(shape) == 2
        shape[-1] *= 2
        return tuple(shape)

    def call(self, x, mask=None):
        x -= K.mean(x, axis=1, keepdims=True)
        x = K.l2_normalize(x, axis=1)
        pos = K.relu(x)
        neg = K.relu(-x)
        return K.concatenate([pos, neg], axis=1)


nb_classes = 3
X = np.random.randn(600, 20).astype('float32')
W = np.random.randn(20, nb_classes)
labels = (X.dot(W)).argmax(1)
Y = np.eye(nb_classes)[labels]

model = Sequential()
model.add(Dense(32, input_shape=(20,)))
model.add(Antirectifier())
model.add(Dropout(0.1))
model.add(Dense(32))
model.add(Antirectifier())
model.add(Dense(nb_classes))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
print('antirectifier output shape:', model.layers[1].output_shape)
model.fit(X[:500], Y[:500], batch_size=32, nb_epoch=10, verbose=0)
score = model.evaluate(X[500:], Y[500:], verbose=0)
print('Test accuracy:', score[1])
