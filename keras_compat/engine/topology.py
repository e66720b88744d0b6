"""``keras.engine.topology`` (Keras 1.2.2 public module path): the graph building blocks.

Legacy custom layers subclass ``keras.engine.topology.Layer``; this module re-exports the
classes from where they live in keras_compat.
"""
from keras_compat.engine.container import Container as Container
from keras_compat.engine.container import get_source_inputs as get_source_inputs
from keras_compat.engine.input_layer import Input as Input
from keras_compat.engine.input_layer import InputLayer as InputLayer
from keras_compat.engine.layer import Layer as Layer
from keras_compat.engine.node import Node as Node
from keras_compat.layers.merge.merge import Merge as Merge
from keras_compat.layers.merge.merge import merge as merge

__all__ = ["Layer", "Input", "InputLayer", "Merge", "merge", "Container", "Node",
           "get_source_inputs"]
