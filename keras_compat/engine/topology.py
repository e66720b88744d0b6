"""``keras.engine.topology`` (Keras 1.2.2 public module path): the graph building blocks.

Legacy custom layers subclass ``keras.engine.topology.Layer``; this module re-exports the
classes from where they live in keras_compat, and the small helpers Keras 1 kept here.
"""
from keras_compat.engine.container import Container as Container
from keras_compat.engine.container import get_source_inputs as get_source_inputs
from keras_compat.engine.input_layer import Input as Input
from keras_compat.engine.input_layer import InputLayer as InputLayer
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.engine.layer import Layer as Layer
from keras_compat.engine.node import Node as Node
from keras_compat.layers.core.lambda_layer import func_dump as func_dump
from keras_compat.layers.core.lambda_layer import func_load as func_load
from keras_compat.layers.core.merge_layer import Merge as Merge
from keras_compat.layers.core.merge_layer import merge as merge
from keras_compat.saving.overwrite import ask_to_proceed_with_overwrite as ask_to_proceed_with_overwrite

__all__ = ["Layer", "Input", "InputLayer", "InputSpec", "Merge", "merge", "Container", "Node",
           "get_source_inputs", "to_list", "object_list_uid", "func_dump", "func_load",
           "ask_to_proceed_with_overwrite"]


def to_list(x):
    """``x`` itself when it is a list, else ``[x]``."""
    if isinstance(x, list):
        return x
    return [x]


def object_list_uid(object_list):
    """A string naming the identity of each object (Keras 1 keyed its caches with it)."""
    return ', '.join(str(abs(id(x))) for x in to_list(object_list))
