"""Alias rule groups shared by many layers (written once, reused by reference)."""
from keras_compat._args.rules import ArgumentError, Custom, MapValues, Rename

DIM_ORDERING_VALUES = MapValues(
    "dim_ordering", {"channels_last": "tf", "channels_first": "th"}, example="channels_first")

DATA_FORMAT = (
    Rename("data_format", "dim_ordering", example="channels_last"),
    DIM_ORDERING_VALUES,
)

INITIALIZER_NAMES = {"zeros": "zero", "ones": "one", "random_uniform": "uniform",
                     "random_normal": "normal"}

_KERNEL_ARGS_BASE = (
    Rename("kernel_initializer", "init", example="glorot_uniform"),
    MapValues("init", INITIALIZER_NAMES, example="random_uniform"),
    Rename("use_bias", "bias", example=False),
    Rename("kernel_regularizer", "W_regularizer", example=None),
    Rename("bias_regularizer", "b_regularizer", example=None),
    Rename("kernel_constraint", "W_constraint", example=None),
    Rename("bias_constraint", "b_constraint", example=None),
)


def _zero_bias_only(owner, value, kwargs):
    if value in (None, "zero", "zeros", "Zeros"):
        return {}
    raise ArgumentError("%s(bias_initializer=%r): Keras 1 always initialised this layer's bias to "
                        "zero, so only 'zeros' is accepted here; set other values afterwards with "
                        "set_weights()" % (owner, value))


# Keras 1 layers other than Dense had no bias initializer: the Keras-2 keyword is accepted
# for its default only, never silently ignored.
KERNEL_ARGS = _KERNEL_ARGS_BASE + (
    Custom("bias_initializer", _zero_bias_only, "only 'zeros' (Keras 1's fixed bias init)",
           example="zeros"),
)

# Dense implements a real bias initializer (an extension recorded as ``bias_init``).
DENSE_KERNEL_ARGS = _KERNEL_ARGS_BASE + (
    Rename("bias_initializer", "bias_init", example="zero"),
    MapValues("bias_init", INITIALIZER_NAMES, example="zeros"),
)

CONV_ARGS = (
    Rename("filters", "nb_filter", example=4),
    Rename("padding", "border_mode", example="same"),
    Rename("strides", "subsample", example=(1, 1)),
    Rename("dilation_rate", "atrous_rate", example=(1, 1)),
) + DATA_FORMAT

POOL_ARGS = (
    Rename("padding", "border_mode", example="same"),
) + DATA_FORMAT
