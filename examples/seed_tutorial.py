'''The classic Keras 1 "Getting started with the Sequential model" tutorial, every snippet.

Written exactly as a 2016 user wrote it for Keras 1.x with Theano ordering in
~/.keras/keras.json ("image_dim_ordering": "th"). Run it unmodified with:

    python -m keras_compat --dim-ordering th examples/seed_tutorial.py

Exercises: Sequential, Dense(output_dim=, input_dim=), Activation, compile with 'sgd' and
with SGD(nesterov=True), fit(nb_epoch=), evaluate, predict_classes, predict_proba,
Keras-2 spellings (units=, use_bias=, kernel_initializer=...), Embedding(input_length=)
+ Flatten, Convolution2D(border_mode='same') + Flatten output shapes, summary, plot.
Data is synthetic.
'''
from __future__ import print_function
import numpy as np
np.random.seed(1337)  # for reproducibility

from keras.models import Sequential
from keras.layers import Dense, Activation
from keras.layers.core import Flatten
from keras.layers.convolutional import Convolution2D
from keras.layers.embeddings import Embedding
from keras.optimizers import SGD
from keras.regularizers import l2
from keras.utils import np_utils

# synthetic data: 10 classes that depend on the input, so the MLP can learn something
nb_classes = 10
X_train = np.random.random((1000, 100))
y_train = np.argmax(X_train[:, :nb_classes], axis=1)
Y_train = np_utils.to_categorical(y_train, nb_classes)
X_test = np.random.random((200, 100))
y_test = np.argmax(X_test[:, :nb_classes], axis=1)
Y_test = np_utils.to_categorical(y_test, nb_classes)

# --- the MLP of the tutorial --------------------------------------------------------------
model = Sequential()
model.add(Dense(output_dim=64, input_dim=100))
model.add(Activation("relu"))
model.add(Dense(output_dim=10))
model.add(Activation("softmax"))
model.summary()

model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])
model.compile(loss='categorical_crossentropy',
              optimizer=SGD(lr=0.01, momentum=0.9, nesterov=True),
              metrics=['accuracy'])

model.fit(X_train, Y_train, nb_epoch=5, batch_size=32)
loss_and_metrics = model.evaluate(X_test, Y_test, batch_size=32)
print('')
print('Test loss and accuracy:', loss_and_metrics)

classes = model.predict_classes(X_test, batch_size=32)
proba = model.predict_proba(X_test, batch_size=32)
print('')
print('First predicted classes:', classes[:10])
print('True classes:           ', y_test[:10])
print('Probabilities shape:', proba.shape, 'rows sum to', proba.sum(axis=1)[:3])

# --- Keras-2 spellings of the same layers -------------------------------------------------
model2 = Sequential()
model2.add(Dense(512, activation='sigmoid', input_dim=2, use_bias=True))
model2.add(Dense(10, kernel_initializer='random_uniform', bias_initializer='zeros',
                 kernel_regularizer=l2(0.01)))
print('Keras-2 spelling output shape:', model2.output_shape)

# --- Embedding with input_length, then Flatten and Dense ----------------------------------
model3 = Sequential()
model3.add(Embedding(input_dim=200, output_dim=32, input_length=50))
model3.add(Flatten())
model3.add(Dense(1, activation='sigmoid'))
print('Embedding -> Flatten -> Dense output shape:', model3.output_shape)

# --- Convolution2D with Theano ordering, then Flatten -------------------------------------
model4 = Sequential()
model4.add(Convolution2D(64, 3, 3, border_mode="same", input_shape=(3, 32, 32)))
# now: model.output_shape == (None, 64, 32, 32)
print(model4.output_shape)
model4.add(Flatten())
# now: model.output_shape == (None, 65536)
print(model4.output_shape)

from keras.utils.vis_utils import plot_model
plot_model(model4, to_file='Flatten.png', show_shapes=True)
from keras.utils.visualize_util import plot
plot(model, to_file='model.png', show_shapes=True)
print('Wrote Flatten.png and model.png')
