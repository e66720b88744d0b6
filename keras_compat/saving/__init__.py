"""Reading and writing models and weights (.pt natively; Keras-1 HDF5 files and JSON/YAML configs).

* ``weights_io`` (``save_weights``/``load_weights``) and ``model_io`` (``model.save``/
  ``load_model``, YAML) pick the file format, then
* ``assignment`` pairs a file's weight groups with the model's layers, converts them from
  the file's provenance (backend, dim ordering, Keras 0.x/1.0 layouts) and assigns all or
  none: one path for every format;
* ``keras1_hdf5`` and ``torch_format`` read and write the two file formats,
  ``optimizer_state`` the optimizer's part of a model file, ``atomic`` makes every write
  crash-safe, ``limits`` bounds the configs a file carries, ``backend_detect`` tells which
  backend wrote a Keras-1 file and converts its kernels.
"""
