"""``keras.layers``: every layer class, re-exported from its one-layer file."""
import sys as _sys

from keras_compat.engine.layer import Layer as Layer
from keras_compat.layers import (advanced_activations, convolutional, convolutional_recurrent, core,
                                 embeddings, local, merge, noise, normalization, pooling, recurrent,
                                 wrappers)
from keras_compat.layers.advanced_activations import *  # noqa: F401,F403
from keras_compat.layers.convolutional import *  # noqa: F401,F403
from keras_compat.layers.convolutional_recurrent import *  # noqa: F401,F403
from keras_compat.layers.core import *  # noqa: F401,F403
from keras_compat.layers.embeddings import *  # noqa: F401,F403
from keras_compat.layers.local import *  # noqa: F401,F403
from keras_compat.layers.merge import *  # noqa: F401,F403
from keras_compat.layers.noise import *  # noqa: F401,F403
from keras_compat.layers.normalization import *  # noqa: F401,F403
from keras_compat.layers.pooling import *  # noqa: F401,F403
from keras_compat.layers.recurrent import *  # noqa: F401,F403
from keras_compat.layers.wrappers import *  # noqa: F401,F403

# ``merge`` is now the Keras-1 merge() function (star-imported above); take the family module.
_FAMILIES = (advanced_activations, convolutional, convolutional_recurrent, core, embeddings, local,
             _sys.modules["keras_compat.layers.merge"], noise, normalization, pooling, recurrent,
             wrappers)
__all__ = sorted({name for family in _FAMILIES for name in family.__all__})

# Helpers Keras 1.2.2's star-imports brought into keras.layers (not layers: left out of __all__).
from keras_compat.engine.input_spec import InputSpec as InputSpec  # noqa: E402
from keras_compat.layers.core import func_dump as func_dump  # noqa: E402
from keras_compat.layers.core import func_load as func_load  # noqa: E402
from keras_compat.layers.core import get_from_module as get_from_module  # noqa: E402
from keras_compat.layers.recurrent import (  # noqa: E402
    time_distributed_dense as time_distributed_dense)
from keras_compat.backend.convolution import conv_input_length as conv_input_length  # noqa: E402
from keras_compat.backend.convolution import conv_output_length as conv_output_length  # noqa: E402
