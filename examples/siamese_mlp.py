'''Siamese MLP on pairs of points (Keras-1 mnist_siamese_graph.py style, synthetic data).

Pairs from the same cluster should get a small Euclidean distance.
'''
from __future__ import print_function
import numpy as np
np.random.seed(1337)

from keras.models import Sequential, Model
from keras.layers import Dense, Dropout, Input, Lambda
from keras.optimizers import RMSprop
from keras import backend as K


def euclidean_distance(vects):
    x, y = vects
    return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))


def eucl_dist_output_shape(shapes):
    shape1, shape2 = shapes
    return (shape1[0], 1)


def contrastive_loss(y_true, y_pred):
    margin = 1
    return K.mean(y_true * K.square(y_pred) + (1 - y_true) * K.square(K.maximum(margin - y_pred, 0)))


def create_pairs(n):
    centers = np.random.randn(5, 10) * 3
    a, b, labels = [], [], []
    for i in range(n):
        c = np.random.randint(5)
        same = i % 2 == 0
        d = c if same else (c + np.random.randint(1, 5)) % 5
        a.append(centers[c] + np.random.randn(10) * 0.3)
        b.append(centers[d] + np.random.randn(10) * 0.3)
        labels.append(1 if same else 0)
    return np.array(a, 'float32'), np.array(b, 'float32'), np.array(labels, 'float32')


def create_base_network(input_dim):
    seq = Sequential()
    seq.add(Dense(32, input_shape=(input_dim,), activation='relu'))
    seq.add(Dropout(0.1))
    seq.add(Dense(16, activation='relu'))
    return seq


tr_a, tr_b, tr_y = create_pairs(400)
base_network = create_base_network(10)
input_a = Input(shape=(10,))
input_b = Input(shape=(10,))
processed_a = base_network(input_a)
processed_b = base_network(input_b)
from keras.layers import merge
distance = merge([processed_a, processed_b], mode=euclidean_distance,
                 output_shape=eucl_dist_output_shape)
model = Model(input=[input_a, input_b], output=distance)
rms = RMSprop()
model.compile(loss=contrastive_loss, optimizer=rms)
model.fit([tr_a, tr_b], tr_y, batch_size=64, nb_epoch=10, verbose=0)
pred = model.predict([tr_a, tr_b])
acc = np.mean((pred.ravel() < 0.5) == tr_y)
print('* Accuracy on training set: %0.2f%%' % (100 * acc))
print('shared layers:', len(base_network.inbound_nodes))
