"""``keras.models``: Sequential, Model and the model (de)serialisation functions."""
from keras_compat.models.model import Model as Model
from keras_compat.models.sequential import Sequential as Sequential
from keras_compat.saving.model_config import model_from_config as model_from_config
from keras_compat.saving.model_config import model_from_json as model_from_json
from keras_compat.saving.model_io import load_model as load_model
from keras_compat.saving.model_io import model_from_yaml as model_from_yaml
from keras_compat.saving.model_io import save_model as save_model

__all__ = ["Model", "Sequential", "load_model", "model_from_config", "model_from_json",
           "model_from_yaml", "save_model"]
