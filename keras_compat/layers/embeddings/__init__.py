"""``keras.layers.embeddings``."""
from keras_compat.layers.embeddings.embedding import Embedding as Embedding

__all__ = ["Embedding"]
