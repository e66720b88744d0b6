"""``keras.layers.core``."""
from keras_compat.engine.layer import Layer as Layer
from keras_compat.layers.core.activation import Activation as Activation
from keras_compat.layers.core.activity_regularization import (
    ActivityRegularization as ActivityRegularization)
from keras_compat.layers.core.dense import Dense as Dense
from keras_compat.layers.core.dropout import Dropout as Dropout
from keras_compat.layers.core.flatten import Flatten as Flatten
from keras_compat.layers.core.highway import Highway as Highway
from keras_compat.layers.core.lambda_layer import Lambda as Lambda
from keras_compat.layers.core.masking import Masking as Masking
from keras_compat.layers.core.maxout_dense import MaxoutDense as MaxoutDense
from keras_compat.layers.core.permute import Permute as Permute
from keras_compat.layers.core.repeat_vector import RepeatVector as RepeatVector
from keras_compat.layers.core.reshape import Reshape as Reshape
from keras_compat.layers.core.spatial_dropout import SpatialDropout1D as SpatialDropout1D
from keras_compat.layers.core.spatial_dropout import SpatialDropout2D as SpatialDropout2D
from keras_compat.layers.core.spatial_dropout import SpatialDropout3D as SpatialDropout3D
from keras_compat.layers.core.time_distributed_dense import (
    TimeDistributedDense as TimeDistributedDense)
from keras_compat.layers.core.torch_module import TorchModule as TorchModule

__all__ = ["Activation", "ActivityRegularization", "Dense", "Dropout", "Flatten", "Highway",
           "Lambda", "Masking", "MaxoutDense", "Permute", "RepeatVector", "Reshape",
           "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "TimeDistributedDense",
           "TorchModule"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat._registry import get_from_module as get_from_module
from keras_compat.engine.input_spec import InputSpec as InputSpec
from keras_compat.layers.core.lambda_layer import func_dump as func_dump
from keras_compat.layers.core.lambda_layer import func_load as func_load
from keras_compat.layers.core.merge_layer import Merge as Merge
