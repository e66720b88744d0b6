"""``keras.layers``: every layer class, re-exported from its one-layer file.

Keras 1.2.2 had no ``keras.layers.merge`` module: ``keras.layers.merge`` is the ``merge()``
function, so no module here has that name (``Merge``/``merge`` live in ``core/merge_layer.py``).
"""
from keras_compat.engine import registry as _layer_registry
from keras_compat.engine.input_layer import Input as Input
from keras_compat.engine.input_layer import InputLayer as InputLayer
from keras_compat.engine.layer import Layer as Layer
from keras_compat.layers import (advanced_activations, convolutional, convolutional_recurrent, core,
                                 embeddings, local, noise, normalization, pooling, recurrent,
                                 wrappers)
from keras_compat.layers.advanced_activations import *  # noqa: F401,F403
from keras_compat.layers.convolutional import *  # noqa: F401,F403
from keras_compat.layers.convolutional_recurrent import *  # noqa: F401,F403
from keras_compat.layers.core import *  # noqa: F401,F403
from keras_compat.layers.core.merge_layer import Merge as Merge
from keras_compat.layers.core.merge_layer import merge as merge
from keras_compat.layers.embeddings import *  # noqa: F401,F403
from keras_compat.layers.local import *  # noqa: F401,F403
from keras_compat.layers.noise import *  # noqa: F401,F403
from keras_compat.layers.normalization import *  # noqa: F401,F403
from keras_compat.layers.pooling import *  # noqa: F401,F403
from keras_compat.layers.recurrent import *  # noqa: F401,F403
from keras_compat.layers.wrappers import *  # noqa: F401,F403

# The graph entry points Keras 1.2.2 exported here from keras.engine.
_GRAPH = ["Input", "InputLayer", "Merge", "merge"]
_FAMILIES = (advanced_activations, convolutional, convolutional_recurrent, core, embeddings, local,
             noise, normalization, pooling, recurrent, wrappers)
__all__ = sorted({name for family in _FAMILIES for name in family.__all__} | set(_GRAPH))

# Keras-1 class aliases (``Conv2D`` for ``Convolution2D``) may name their class in a config too.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type) and _value.__name__ != _name:
        _layer_registry.register_alias(_name, _value)
del _name, _value

# Helpers Keras 1.2.2's star-imports brought into keras.layers (not layers: left out of __all__).
from keras_compat.engine.input_spec import InputSpec as InputSpec  # noqa: E402
from keras_compat.layers.core import func_dump as func_dump  # noqa: E402
from keras_compat.layers.core import func_load as func_load  # noqa: E402
from keras_compat.layers.core import get_from_module as get_from_module  # noqa: E402
from keras_compat.layers.recurrent import (  # noqa: E402
    time_distributed_dense as time_distributed_dense)
from keras_compat.backend.convolution import conv_input_length as conv_input_length  # noqa: E402
from keras_compat.backend.convolution import conv_output_length as conv_output_length  # noqa: E402
