"""``keras.backend`` (``K``): Keras 1.2.2's backend functions over torch.

The configuration and naming state live in ``config`` and ``naming``; tensor functions in
``ops`` (with ``convolution`` and ``ctc``); TensorFlow-session names that have no meaning
here in ``session``.  Every function works on torch tensors, variables (``K.variable``) and
symbolic tensors (``K.placeholder``, layer outputs), the last giving expressions that
``K.function`` evaluates.  Where Keras 1.2.2's Theano and TensorFlow backends differed, the
emulated backend (``config.backend()``) decides.
"""
from keras_compat.backend.config import (backend, epsilon, floatx, image_dim_ordering,
                                         legacy_weight_ordering, set_epsilon, set_floatx,
                                         set_image_dim_ordering, set_legacy_weight_ordering)
from keras_compat.backend.naming import get_uid, reset_uids


def clear_session():
    """Reset layer-name counters (``dense_1`` again), as ``K.clear_session()`` did on TF."""
    reset_uids()


from keras_compat.backend.ops import *  # noqa: E402,F401,F403
from keras_compat.backend.ops import (Function, UpdateOp, apply_updates,  # noqa: E402,F401
                                      batch_get_value, batch_set_value, count_params,
                                      get_value, get_variable_shape, int_shape,
                                      random_normal_variable, random_uniform_variable,
                                      set_value, variable)
from keras_compat.backend.convolution import (asymmetric_spatial_2d_padding,  # noqa: E402,F401
                                              asymmetric_temporal_padding, atrous_conv2d,
                                              conv1d, conv2d, conv3d, deconv2d, pool2d, pool3d,
                                              resize_images, resize_volumes, separable_conv2d,
                                              spatial_2d_padding, spatial_3d_padding,
                                              temporal_padding)
from keras_compat.backend.ctc import (ctc_batch_cost, ctc_cost,  # noqa: E402,F401
                                      ctc_create_skip_idxs, ctc_decode,
                                      ctc_interleave_blanks, ctc_label_dense_to_sparse,
                                      ctc_path_probs, ctc_update_log_p)
from keras_compat.backend.session import (get_session, manual_variable_initialization,  # noqa
                                          set_session)


def __getattr__(name):
    # ``K._BACKEND`` ('tensorflow' or 'theano'): 2016 scripts branched on this private name.
    if name == "_BACKEND":
        return backend()
    raise AttributeError("module 'keras.backend' has no attribute %r (not a Keras 1.2.2 "
                         "backend function)" % (name,))
