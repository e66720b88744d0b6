"""keras_compat: Keras 1 code and models on PyTorch.

Importing this package changes nothing global; ``install()`` (or running a script with
``python -m keras_compat script.py``) makes ``import keras`` resolve to it.
"""
from keras_compat._importer import install, installed, uninstall

__version__ = "0.1.0"
# The Keras version whose behaviour is reproduced (what legacy code reads as keras.__version__).
KERAS_VERSION = "1.2.2"

__all__ = ["install", "installed", "uninstall", "__version__"]
