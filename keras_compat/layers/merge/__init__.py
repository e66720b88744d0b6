"""``keras.layers`` graph entry points: the Keras-1 ``Merge`` layer, ``merge()``, ``Input``.

Keras 1 exported ``Input``/``InputLayer`` from ``keras.layers`` too; they live in
``keras_compat.engine.input_layer`` and are re-exported through this family.
"""
from keras_compat.engine.input_layer import Input as Input
from keras_compat.engine.input_layer import InputLayer as InputLayer
from keras_compat.layers.merge.merge import Merge as Merge
from keras_compat.layers.merge.merge import merge as merge

__all__ = ["Input", "InputLayer", "Merge", "merge"]
