"""``keras.layers.noise``."""
from keras_compat.layers.noise.gaussian_dropout import GaussianDropout as GaussianDropout
from keras_compat.layers.noise.gaussian_noise import GaussianNoise as GaussianNoise

__all__ = ["GaussianDropout", "GaussianNoise"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.layer import Layer as Layer
