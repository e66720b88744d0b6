"""``keras.backend.theano_backend``: keras.backend with Keras 1.2.2's Theano conventions
(see ``emulated``)."""
import sys

from keras_compat.backend.emulated import EmulatedBackend

_module = EmulatedBackend(__name__, "theano")
_module.__file__ = __file__
# Keras 1's Theano backend flagged whether theano.sparse imported; torch has sparse tensors.
_module.th_sparse_module = True
sys.modules[__name__] = _module
