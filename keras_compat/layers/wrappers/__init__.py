"""``keras.layers.wrappers``: layers that wrap other layers."""
from keras_compat.layers.wrappers.bidirectional import Bidirectional as Bidirectional
from keras_compat.layers.wrappers.time_distributed import TimeDistributed as TimeDistributed
from keras_compat.layers.wrappers.wrapper import Wrapper as Wrapper

__all__ = ["Bidirectional", "TimeDistributed", "Wrapper"]
