"""Translators from Keras-1 layers to lines of plain PyTorch (used by ``saving/to_torch.py``).

One module per layer family; each registers its translators with ``registry.translates``.
Importing this package imports them all, so the registry is complete.
"""
from keras_compat.saving.porting import (advanced_activations, convolutional,  # noqa: F401
                                         convolutional_recurrent, core, local, merge,
                                         normalization, pooling, recurrent, wrappers)
from keras_compat.saving.porting.registry import translator_for  # noqa: F401
from keras_compat.saving.porting.source import LayerCall, ModuleSource, PortError  # noqa: F401
