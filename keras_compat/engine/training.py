"""``keras.engine.training`` (Keras 1.2.2 public module path): ``Model``."""
from keras_compat.models.model import Model as Model

__all__ = ["Model"]
