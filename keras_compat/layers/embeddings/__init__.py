"""``keras.layers.embeddings``."""
from keras_compat.layers.embeddings.embedding import Embedding as Embedding

__all__ = ["Embedding"]

# Other names Keras 1.2.2 had in this module (imported there for its own use; scripts
# imported them from here).
from keras_compat.engine.layer import Layer as Layer
