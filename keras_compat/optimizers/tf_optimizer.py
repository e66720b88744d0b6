"""``TFOptimizer``: Keras 1.2.2's wrapper of a native TensorFlow optimizer, which has no
meaning on PyTorch; the name exists so that imports work and a call says why it cannot."""
from .base import Optimizer


class TFOptimizer(Optimizer):
    """Keras 1.2.2 wrapped a ``tf.train.Optimizer`` here. keras_compat runs on PyTorch, so
    there is no TensorFlow optimizer to wrap: constructing one raises ``NotImplementedError``
    naming the replacement (a Keras optimizer: ``SGD``, ``RMSprop``, ``Adam``, ...)."""

    def __init__(self, optimizer):
        raise NotImplementedError(
            "TFOptimizer(%r) wraps a native TensorFlow optimizer, which has no meaning in "
            "keras_compat (it runs on PyTorch, there is no TensorFlow graph to update); use a "
            "Keras optimizer instead (keras.optimizers.SGD, RMSprop, Adagrad, Adadelta, Adam, "
            "Adamax, Nadam); see migration_guide/unsupported.md#tfoptimizer" % (optimizer,))
