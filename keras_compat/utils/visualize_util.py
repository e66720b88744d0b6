"""Keras-1 spelling: ``from keras.utils.visualize_util import plot``."""
from keras_compat.utils.vis_utils import (  # noqa: F401
    model_to_dot, model_to_dot_source, plot_model)

plot = plot_model

__all__ = ['plot', 'plot_model', 'model_to_dot', 'model_to_dot_source']
