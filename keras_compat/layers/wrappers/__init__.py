"""``keras.layers.wrappers``: layers that wrap other layers."""
from keras_compat.layers.wrappers.bidirectional import Bidirectional as Bidirectional
from keras_compat.layers.wrappers.time_distributed import TimeDistributed as TimeDistributed
from keras_compat.layers.wrappers.wrapper import Wrapper as Wrapper

__all__ = ["Bidirectional", "TimeDistributed", "Wrapper"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.engine.layer import Layer as Layer
