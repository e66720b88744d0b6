'''Gradient ascent on the input (Keras-1 conv_filter_visualization.py style).

Maximises the activation of one unit with K.function + K.gradients.
'''
from __future__ import print_function
import numpy as np
np.random.seed(3)

from keras.models import Model
from keras.layers import Input, Dense
from keras import backend as K

inp = Input(shape=(16,))
hidden = Dense(8, activation='tanh', name='hidden')(inp)
out = Dense(4, activation='relu', name='out')(hidden)
model = Model(input=inp, output=out)

layer_dict = dict([(layer.name, layer) for layer in model.layers])
input_img = model.input
layer_output = layer_dict['hidden'].output
filter_index = 2
loss = K.mean(layer_output[:, filter_index])
grads = K.gradients(loss, input_img)[0]
grads /= (K.sqrt(K.mean(K.square(grads))) + 1e-5)
iterate = K.function([input_img, K.learning_phase()], [loss, grads])

input_img_data = np.random.random((1, 16)) * 0.1
step = 0.1
history = []
for i in range(20):
    loss_value, grads_value = iterate([input_img_data, 0])
    input_img_data += grads_value * step
    history.append(float(loss_value))
print('first loss: %.4f' % history[0])
print('last loss: %.4f' % history[-1])
print('monotonic:', all(b >= a - 1e-6 for a, b in zip(history, history[1:])))
