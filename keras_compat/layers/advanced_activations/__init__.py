"""``keras.layers.advanced_activations``."""
from keras_compat.layers.advanced_activations.elu import ELU as ELU
from keras_compat.layers.advanced_activations.leaky_relu import LeakyReLU as LeakyReLU
from keras_compat.layers.advanced_activations.parametric_softplus import (
    ParametricSoftplus as ParametricSoftplus)
from keras_compat.layers.advanced_activations.prelu import PReLU as PReLU
from keras_compat.layers.advanced_activations.srelu import SReLU as SReLU
from keras_compat.layers.advanced_activations.thresholded_relu import (
    ThresholdedReLU as ThresholdedReLU)

__all__ = ["ELU", "LeakyReLU", "PReLU", "ParametricSoftplus", "SReLU", "ThresholdedReLU"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.layer import Layer as Layer
