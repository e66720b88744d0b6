"""``keras.layers.noise``."""
from keras_compat.layers.noise.gaussian_dropout import GaussianDropout as GaussianDropout
from keras_compat.layers.noise.gaussian_noise import GaussianNoise as GaussianNoise

__all__ = ["GaussianDropout", "GaussianNoise"]
