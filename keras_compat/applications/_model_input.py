"""The input of an application model: a new ``Input``, or the tensor the caller passed."""
from keras_compat import backend as K
from keras_compat.engine.container import get_source_inputs
from keras_compat.engine.input_layer import Input

__all__ = ["model_input", "model_inputs"]


def model_input(input_tensor, input_shape):
    """The tensor the network starts from, as Keras 1.2.2 chose it.

    No ``input_tensor``: a new ``Input(shape=input_shape)``. A Keras tensor: used as it is.
    Any other tensor: wrapped by ``Input(tensor=..., shape=input_shape)``.
    """
    if input_tensor is None:
        return Input(shape=input_shape)
    if not K.is_keras_tensor(input_tensor):
        return Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def model_inputs(input_tensor, start):
    """The inputs of the finished model: the ``Input`` layers ``input_tensor`` came from, so a
    network stacked on the caller's own layers includes them."""
    if input_tensor is not None:
        return get_source_inputs(input_tensor)
    return start
