"""``keras.models``: Sequential and the model (de)serialisation functions."""
from keras_compat.models.sequential import Sequential as Sequential
from keras_compat.saving.model_config import model_from_config as model_from_config
from keras_compat.saving.model_config import model_from_json as model_from_json

__all__ = ["Sequential", "model_from_config", "model_from_json"]
