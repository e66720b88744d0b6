"""Keras-1 ``keras.utils.generic_utils``: ``Progbar``, ``get_from_module``, the global custom
objects (``get_custom_objects``, ``custom_object_scope``, ``CustomObjectScope``) and the
function (de)serialisers ``func_dump``/``func_load`` that Lambda configs use."""
from keras_compat._registry import CUSTOM_OBJECTS
from keras_compat._registry import get_custom_objects as get_custom_objects
from keras_compat._registry import get_from_module as get_from_module
from keras_compat.layers.core.lambda_layer import func_dump as func_dump
from keras_compat.layers.core.lambda_layer import func_load as func_load
from keras_compat.training.progbar import Progbar as Progbar

__all__ = ['Progbar', 'get_from_module', 'get_custom_objects', 'custom_object_scope',
           'CustomObjectScope', 'func_dump', 'func_load', 'make_tuple']


class CustomObjectScope(object):
    """``with CustomObjectScope({'MyObject': MyObject}):`` makes the names resolvable by every
    Keras-1 look-up (``activation='...'``, regularizers, ``load_model``, ``model_from_json``);
    on exit the global custom objects are back to what they were on entry, including any
    change made to them inside the block."""

    def __init__(self, *args):
        self.custom_objects = args
        self.backup = None

    def __enter__(self):
        self.backup = CUSTOM_OBJECTS.copy()
        for objects in self.custom_objects:
            CUSTOM_OBJECTS.update(objects)
        return self

    def __exit__(self, type, value, traceback):
        CUSTOM_OBJECTS.clear()
        CUSTOM_OBJECTS.update(self.backup)


def custom_object_scope(*args):
    """``CustomObjectScope(*args)``: each argument is a ``{name: class or function}`` dict."""
    return CustomObjectScope(*args)


def make_tuple(*args):
    """``args`` as a tuple."""
    return args
