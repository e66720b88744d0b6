"""Keras-1 datasets (``keras.datasets``) read from the Keras 1.2.2 cache files, never downloaded.

Files live in ``~/.keras/datasets/`` (or ``$KERAS_HOME/datasets/``) under the names Keras 1.2.2
used; ``tools/fake_keras_datasets.py`` writes small learnable stand-ins in the same formats.
"""
from keras_compat.datasets import cifar, cifar10, cifar100, imdb, mnist, reuters

__all__ = ["cifar", "cifar10", "cifar100", "imdb", "mnist", "reuters"]
