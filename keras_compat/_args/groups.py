"""Alias rule groups shared by many layers (written once, reused by reference)."""
from keras_compat._args.rules import (ArgumentError, Custom, Deprecated, MapValues, Removed,
                                      Rename)

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


# -- Deprecated Keras-1 arguments of Sequential's training methods (Keras 1.2.2's texts) --------
_USE_ACCURACY_METRIC = ("instead you should pass the \"accuracy\" metric to the model at "
                        "compile time:\n`model.compile(optimizer, loss, metrics=[\"accuracy\"])`")
CLASS_MODE = Deprecated("class_mode", '"class_mode" argument is deprecated, please remove it.',
                        example="categorical")
SHOW_ACCURACY = Deprecated("show_accuracy", 'The "show_accuracy" argument is deprecated, '
                           + _USE_ACCURACY_METRIC)
ACCURACY = Deprecated("accuracy", 'The "accuracy" argument is deprecated, ' + _USE_ACCURACY_METRIC)
NB_WORKER = Deprecated("nb_worker", 'The "nb_worker" argument is deprecated when pickle_safe is '
                       'False', drop=False, example=2,
                       when=lambda kwargs: kwargs["nb_worker"] > 1
                       and not kwargs.get("pickle_safe", False))
NB_VAL_WORKER = Deprecated("nb_val_worker", 'The "nb_val_worker" argument is deprecated, please '
                           'remove it from your code.', example=2)
GENERATOR_VERBOSE = Deprecated("verbose", 'The "verbose" argument is deprecated.', example=1)

SEQUENTIAL_DEPRECATIONS = {
    "compile": (CLASS_MODE,),
    "fit": (SHOW_ACCURACY,),
    "evaluate": (SHOW_ACCURACY,),
    "train_on_batch": (ACCURACY,),
    "test_on_batch": (ACCURACY,),
    "fit_generator": (NB_WORKER, SHOW_ACCURACY, NB_VAL_WORKER),
    "evaluate_generator": (NB_WORKER, SHOW_ACCURACY, GENERATOR_VERBOSE),
    "predict_generator": (NB_WORKER,),
}

# -- The same arguments on a functional Model: Keras 1.2.2 refused them there -------------------
_ONLY_SEQUENTIAL = "(Keras 1.2.2 accepted it with a deprecation warning on Sequential only): "
_NO_ACCURACY_FLAG = Removed("show_accuracy", _ONLY_SEQUENTIAL + "pass the \"accuracy\" metric "
                            "at compile time: `model.compile(optimizer, loss, "
                            "metrics=[\"accuracy\"])`")
_NO_ACCURACY_ARG = Removed("accuracy", _ONLY_SEQUENTIAL + "pass the \"accuracy\" metric at "
                           "compile time: `model.compile(optimizer, loss, metrics=[\"accuracy\"])`")
MODEL_REMOVED = {
    "compile": (Removed("class_mode", _ONLY_SEQUENTIAL + "remove it; the loss decides the "
                        "targets' form", example="categorical"),),
    "fit": (_NO_ACCURACY_FLAG,),
    "evaluate": (_NO_ACCURACY_FLAG,),
    "train_on_batch": (_NO_ACCURACY_ARG,),
    "test_on_batch": (_NO_ACCURACY_ARG,),
    "fit_generator": (_NO_ACCURACY_FLAG, Removed("nb_val_worker", _ONLY_SEQUENTIAL + "remove it",
                                                 example=2)),
    "evaluate_generator": (_NO_ACCURACY_FLAG,),
}
