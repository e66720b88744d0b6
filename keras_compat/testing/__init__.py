"""Test helpers importable without pytest (users can test their own layers with them)."""
from keras_compat.testing.layer_test import layer_test as layer_test
