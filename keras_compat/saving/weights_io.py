"""``save_weights``/``load_weights``: the choice of format, then one assignment path.

``save_weights`` writes Keras 1's HDF5 layout unless the name ends in ``.pt``/``.pth``
(``save_weights('generator')`` writes HDF5, as Keras 1 did); ``load_weights`` decides by the
file's content (the HDF5 or zip signature), so a Keras-1 file named without ``.h5`` loads.
Either way the file's groups and provenance go through ``assignment.assign`` (pairing,
th/tf and backend conversion, all-or-nothing). The ``.pt`` payload is described in
``torch_format``.
"""
import os

from keras_compat.backend import config
from keras_compat.saving import assignment, keras1_hdf5, torch_format


def save_weights(model, filepath, overwrite=True):
    """``.pt``/``.pth``: the torch format; any other name: Keras 1's HDF5 layout."""
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError("%s already exists and overwrite=False" % (filepath,))
    backend = config.backend()
    groups = assignment.model_groups(model, backend)
    if keras1_hdf5.writes_hdf5(filepath):
        keras1_hdf5.write_weights_file(filepath, groups)
    else:
        torch_format.write_weights_file(filepath, model, groups, backend,
                                        assignment.model_dim_ordering(model))


def load_weights(model, filepath, by_name=False, original_backend=None,
                 original_dim_ordering=None):
    """Load a weights file; nothing changes unless every layer's weights fit.

    ``original_backend`` (``'theano'``/``'tensorflow'``) and ``original_dim_ordering``
    (``'th'``/``'tf'``) say what wrote the file when the file does not: Keras-1 HDF5 files
    record neither (the backend is detected from weight names when None); ``.pt`` files
    record both, and the caller's values override the record."""
    if keras1_hdf5.is_hdf5_file(filepath):
        stored, legacy = keras1_hdf5.read_weights_file(filepath)
        provenance = assignment.Provenance(original_backend, original_dim_ordering, legacy)
    else:
        payload = torch_format.read_weights_file(filepath)
        stored = torch_format.stored_groups(payload)
        provenance = torch_format.provenance(payload, original_backend, original_dim_ordering,
                                             config.backend())
    return assignment.assign(model, stored, filepath, provenance, by_name=by_name)
