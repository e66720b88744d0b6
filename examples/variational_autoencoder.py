'''Variational autoencoder (Keras-1 variational_autoencoder.py style, synthetic data).

The loss closes over the encoder's z_mean and z_log_var tensors.
'''
from __future__ import print_function
import numpy as np
np.random.seed(0)

from keras.layers import Input, Dense, merge
from keras.models import Model
from keras import backend as K
from keras import objectives

batch_size = 20
original_dim = 12
latent_dim = 2
intermediate_dim = 8
epsilon_std = 1.0

x = Input(batch_shape=(batch_size, original_dim))
h = Dense(intermediate_dim, activation='relu')(x)
z_mean = Dense(latent_dim)(h)
z_log_var = Dense(latent_dim)(h)


def sampling(args):
    z_mean, z_log_var = args
    epsilon = K.random_normal(shape=(batch_size, latent_dim), mean=0., std=epsilon_std)
    return z_mean + K.exp(z_log_var / 2) * epsilon


z = merge([z_mean, z_log_var], mode=sampling, output_shape=(latent_dim,))
decoder_h = Dense(intermediate_dim, activation='relu')
decoder_mean = Dense(original_dim, activation='sigmoid')
h_decoded = decoder_h(z)
x_decoded_mean = decoder_mean(h_decoded)


def vae_loss(x, x_decoded_mean):
    xent_loss = original_dim * objectives.binary_crossentropy(x, x_decoded_mean)
    kl_loss = - 0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
    return xent_loss + kl_loss


vae = Model(x, x_decoded_mean)
vae.compile(optimizer='rmsprop', loss=vae_loss)

proto = (np.random.rand(2, original_dim) > 0.5).astype('float32')
x_train = proto[np.random.randint(0, 2, 400)]
x_test = proto[np.random.randint(0, 2, 100)]
first = vae.evaluate(x_test, x_test, batch_size=batch_size, verbose=0)
vae.fit(x_train, x_train, shuffle=True, nb_epoch=15, batch_size=batch_size, verbose=0)
last = vae.evaluate(x_test, x_test, batch_size=batch_size, verbose=0)
encoder = Model(x, z_mean)
codes = encoder.predict(x_test, batch_size=batch_size)
print('vae loss before: %.4f after: %.4f' % (first, last))
print('encoded shape:', codes.shape)
