"""TensorFlow-session functions of Keras 1's backend, which have no meaning over PyTorch.

They exist so that code importing them gets a clear message at the call instead of an
``AttributeError`` that suggests a missing feature.
"""


def _no_session(function, instead):
    raise NotImplementedError(
        "K.%s: keras_compat runs on PyTorch, which has no TensorFlow session; %s"
        % (function, instead))


def get_session():
    _no_session("get_session", "tensors compute eagerly, so evaluate with K.eval(x) or "
                "K.function(inputs, outputs) and place work with keras_compat's device setting")


def set_session(session):
    _no_session("set_session", "there is no session to configure; GPU memory and threads are "
                "torch settings (torch.cuda, torch.set_num_threads)")


def manual_variable_initialization(value):
    """Keras 1 (TensorFlow) let code initialise variables itself.  Variables here always hold
    their value from creation, so the default (False) changes nothing and True is refused."""
    if value:
        _no_session("manual_variable_initialization",
                    "variables are initialised when created (K.variable); set their values "
                    "with K.set_value")
