"""Saving and describing a model: the methods Sequential and Model share (Keras-1 names)."""
import json

from keras_compat import KERAS_VERSION, port
from keras_compat.saving import model_io, weights_io
from keras_compat.training import distributed


def save_model(model, filepath, overwrite=True):
    """Keras 1's ``keras.models.save_model``; in a data-parallel run rank 0 writes the file
    while the other ranks wait for it."""
    distributed.on_rank_zero(lambda: model_io.save_model(model, filepath, overwrite=overwrite),
                             "save_model")


class ModelSerialization:
    """``to_json``/``to_yaml``/``save``/``save_weights``/``load_weights``/``to_torch``.

    The work lives in ``keras_compat.saving``; these are the Keras-1 entry points on models.
    """

    def _config_document(self):
        return {"class_name": type(self).__name__, "config": self.get_config(),
                "keras_version": KERAS_VERSION}

    def to_json(self, **kwargs):
        return json.dumps(self._config_document(), **kwargs)

    def to_yaml(self, **kwargs):
        return model_io.to_yaml(self, **kwargs)

    def save_weights(self, filepath, overwrite=True):
        """Weights only: the ``.pt`` format for ``.pt``/``.pth``, Keras-1 HDF5 for any other name."""
        # Data-parallel: rank 0 writes, the others wait for the finished file.
        distributed.on_rank_zero(
            lambda: weights_io.save_weights(self, filepath, overwrite=overwrite), "save_weights")

    def load_weights(self, filepath, by_name=False, original_backend=None,
                     original_dim_ordering=None):
        """Load weights saved by keras_compat or by Keras 1 (``original_backend`` for files
        whose writer cannot be detected: 'theano' flips Theano-trained conv kernels)."""
        weights_io.load_weights(self, filepath, by_name=by_name, original_backend=original_backend,
                                original_dim_ordering=original_dim_ordering)

    def save(self, filepath, overwrite=True):
        """Architecture, weights and training state: the ``.pt`` format for ``.pt``/``.pth``,
        Keras-1 HDF5 for any other name (as Keras 1 wrote)."""
        save_model(self, filepath, overwrite=overwrite)

    def to_torch(self):
        """A standalone ``torch.nn.Module`` computing this model (see keras_compat/port/)."""
        return port.to_torch(self)
