"""``keras.utils.layer_utils``: ``print_summary``, ``count_total_params``,
``convert_all_kernels_in_model`` (and ``layer_from_config``, which Keras 1 kept here)."""
from keras_compat import models as _models  # noqa: F401 (registers Sequential and Model)
from keras_compat.engine import summary as summary_module
from keras_compat.saving.model_config import layer_from_config
from keras_compat.utils.np_utils import convert_kernel

__all__ = ["print_summary", "count_total_params", "convert_all_kernels_in_model",
           "layer_from_config"]

# Keras 1.2.2's layer_utils star-imported keras.layers and imported these for its own use;
# scripts imported them from here (``from keras.utils.layer_utils import Dense``).
from keras_compat._registry import get_custom_objects as get_custom_objects  # noqa: E402
from keras_compat.layers import *  # noqa: F401,F403,E402
from keras_compat.layers import InputSpec as InputSpec  # noqa: E402
from keras_compat.layers import Layer as Layer  # noqa: E402
from keras_compat.layers import conv_input_length as conv_input_length  # noqa: E402
from keras_compat.layers import conv_output_length as conv_output_length  # noqa: E402
from keras_compat.layers import func_dump as func_dump  # noqa: E402
from keras_compat.layers import func_load as func_load  # noqa: E402
from keras_compat.layers import get_from_module as get_from_module  # noqa: E402
from keras_compat.layers import time_distributed_dense as time_distributed_dense  # noqa: E402
from keras_compat.models.model import Model as Model  # noqa: E402
from keras_compat.models.sequential import Sequential as Sequential  # noqa: E402

def _sublayers(layer):
    inner = getattr(layer, "layers", None)
    return inner if isinstance(inner, list) and layer.__class__.__name__ in (
        "Sequential", "Model") else None


def count_total_params(layers, layer_set=None):
    """``(trainable, non_trainable)`` parameter counts, nested models counted once per layer."""
    if layer_set is None:
        layer_set = set()
    trainable = non_trainable = 0
    for layer in layers:
        if id(layer) in layer_set:
            continue
        layer_set.add(id(layer))
        inner = _sublayers(layer)
        if inner is not None:
            t, nt = count_total_params(inner, layer_set)
        else:
            t = sum(int(w.numel()) for w in layer.trainable_weights)
            nt = sum(int(w.numel()) for w in layer.non_trainable_weights)
        trainable += t
        non_trainable += nt
    return trainable, non_trainable


def print_summary(layers, relevant_nodes=None, line_length=100, positions=None):
    """Print Keras 1's summary table.

    ``layers`` is a model (its own ``summary()`` is used) or a list of layers forming a chain:
    each row is connected to the previous layer (the first to ``<first layer>_input``'s
    name, as a Sequential's input is named when known).  ``relevant_nodes`` is accepted for
    Keras 1 compatibility; chains have one node per layer. ``positions`` (column stops as
    fractions of ``line_length``) defaults to ``(.33, .55, .67, 1.)``.
    """
    positions = positions or (.33, .55, .67, 1.)
    if callable(getattr(layers, "summary", None)) and not isinstance(layers, (list, tuple)):
        layers.summary(line_length=line_length, positions=positions)
        return
    layers = list(layers)
    rows = []
    previous = None
    for layer in layers:
        connections = [] if previous is None else ["%s[0][0]" % previous]
        if previous is None:
            inbound = getattr(layer, "_input_name", None)
            if inbound:
                connections = ["%s[0][0]" % inbound]
        rows.append(("%s (%s)" % (layer.name, type(layer).__name__),
                     summary_module.format_shape(layer.output_shape), layer.count_params(),
                     connections))
        previous = layer.name
    trainable, non_trainable = count_total_params(layers)
    summary_module.print_summary(rows, trainable, non_trainable, line_length=line_length,
                                 positions=positions)


def convert_all_kernels_in_model(model):
    """Flip the kernels of every convolution layer (Theano <-> TensorFlow kernels).

    Uses the global ``image_dim_ordering`` to find the spatial axes, exactly as Keras 1.2.2
    did (it flips every convolution kernel), and changes nothing unless every kernel converts.
    """
    updates = []
    for layer in model.layers:
        # the layers Keras 1.2.2 converted (not SeparableConvolution2D, AtrousConvolution1D,
        # ConvLSTM2D or the locally connected layers)
        if getattr(layer, "flipped_by_convert_all_kernels", False):
            weights = layer.get_weights()
            weights[0] = convert_kernel(weights[0])
            updates.append((layer, weights))
    for layer, weights in updates:
        layer.set_weights(weights)
