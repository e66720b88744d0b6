"""Translators from Keras-1 layers to lines of plain PyTorch, one module per layer family.

Each module registers its translators by layer class with ``port.registry.translates``;
importing this package imports them all, so the registry is complete.
"""
from keras_compat.port.translators import (advanced_activations, convolutional,  # noqa: F401
                                           convolutional_recurrent, core, local, merge,
                                           normalization, pooling, recurrent, torch_module,
                                           wrappers)
