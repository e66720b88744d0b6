"""``keras.layers``: every layer class, re-exported from its one-layer file."""
from keras_compat.engine.layer import Layer as Layer
from keras_compat.layers import convolutional, core, embeddings, normalization, pooling
from keras_compat.layers.convolutional import *  # noqa: F401,F403
from keras_compat.layers.core import *  # noqa: F401,F403
from keras_compat.layers.embeddings import *  # noqa: F401,F403
from keras_compat.layers.normalization import *  # noqa: F401,F403
from keras_compat.layers.pooling import *  # noqa: F401,F403

__all__ = sorted(set(core.__all__ + convolutional.__all__ + pooling.__all__ + embeddings.__all__
                     + normalization.__all__))
