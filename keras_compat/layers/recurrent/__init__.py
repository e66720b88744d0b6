"""``keras.layers.recurrent``: SimpleRNN, GRU and LSTM on the shared ``Recurrent`` base.

``set_implementation('auto'|'fused'|'loop')`` picks how they run (see
:func:`keras_compat.layers.recurrent.base_recurrent.set_implementation`).
"""
from keras_compat.layers.recurrent.base_recurrent import Recurrent as Recurrent
from keras_compat.layers.recurrent.base_recurrent import get_implementation as get_implementation
from keras_compat.layers.recurrent.base_recurrent import set_implementation as set_implementation
from keras_compat.layers.recurrent.gru import GRU as GRU
from keras_compat.layers.recurrent.lstm import LSTM as LSTM
from keras_compat.layers.recurrent.simple_rnn import SimpleRNN as SimpleRNN

__all__ = ["GRU", "LSTM", "Recurrent", "SimpleRNN"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.engine.layer import Layer as Layer
from keras_compat.layers.recurrent.time_distributed_dense import (
    time_distributed_dense as time_distributed_dense)
