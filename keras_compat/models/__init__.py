"""``keras.models``: Sequential, Model and the model (de)serialisation functions."""
from keras_compat.models.model import Model as Model
from keras_compat.models.sequential import Sequential as Sequential
from keras_compat.models.serialization import save_model as save_model
from keras_compat.saving.model_config import model_from_config as model_from_config
from keras_compat.saving.model_config import model_from_json as model_from_json
from keras_compat.saving.model_io import load_model as load_model
from keras_compat.saving.model_io import model_from_yaml as model_from_yaml

# Also importable from keras.models in Keras 1.2.2 (it imported them for its own use).
from keras_compat.engine.container import get_source_inputs as get_source_inputs
from keras_compat.engine.layer import Layer as Layer
from keras_compat.engine.node import Node as Node
from keras_compat.layers.core.merge_layer import Merge as Merge
from keras_compat.optimizers.from_config import optimizer_from_config as optimizer_from_config
from keras_compat.saving.overwrite import ask_to_proceed_with_overwrite as ask_to_proceed_with_overwrite

__all__ = ["Model", "Sequential", "load_model", "model_from_config", "model_from_json",
           "model_from_yaml", "save_model"]
