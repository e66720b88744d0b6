"""``optimizer_from_config``: an optimizer from ``{'class_name': ..., 'config': ...}``."""
from keras_compat._registry import CUSTOM_OBJECTS

from ._adadelta import Adadelta
from ._adagrad import Adagrad
from ._adam import Adam
from ._adamax import Adamax
from ._nadam import Nadam
from ._rmsprop import RMSprop
from ._sgd import SGD
from .tf_optimizer import TFOptimizer

_BY_LOWER_NAME = {cls.__name__.lower(): cls
                  for cls in (SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam, TFOptimizer)}


def optimizer_from_config(config, custom_objects=None):
    """The optimizer ``config`` describes (``optimizer.get_config()`` wrapped with its class
    name, as in a saved model's ``training_config``). ``class_name`` is looked up in
    ``custom_objects``, then the global custom objects, then the Keras optimizers by lower-case
    name (``'sgd'``, ``'Adam'``, ...)."""
    class_name = config['class_name']
    if custom_objects and class_name in custom_objects:
        cls = custom_objects[class_name]
    elif class_name in CUSTOM_OBJECTS:
        cls = CUSTOM_OBJECTS[class_name]
    else:
        if class_name.lower() not in _BY_LOWER_NAME:
            raise ValueError('Optimizer class not found: %r (known: %s; pass a custom one in '
                             'custom_objects)' % (class_name, ', '.join(sorted(_BY_LOWER_NAME))))
        cls = _BY_LOWER_NAME[class_name.lower()]
    return cls.from_config(config['config'])
