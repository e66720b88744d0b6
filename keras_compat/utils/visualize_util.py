"""Keras-1 spelling: ``from keras.utils.visualize_util import plot``."""
from keras_compat.utils.vis_utils import (  # noqa: F401
    model_to_dot, model_to_dot_source, plot_model)

# Keras 1.2.2's visualize_util imported these for its own use; scripts imported them from here.
from keras_compat.layers.wrappers import Wrapper as Wrapper  # noqa: E402
from keras_compat.models.sequential import Sequential as Sequential  # noqa: E402

plot = plot_model

__all__ = ['plot', 'plot_model', 'model_to_dot', 'model_to_dot_source']
