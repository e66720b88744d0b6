"""Code generation: a Keras-1 model as a standalone PyTorch module.

``to_torch(model)`` (what ``model.to_torch()`` calls) and ``keras-compat port`` (``cli.py``)
share ``generate.generate_source``: the model's graph walked once, each layer written by the
translator registered for its class (``translators/``, ``registry.py``), the result checked
on its syntax tree (``audit.py``). This package sits above ``saving`` and below ``models``:
it never imports ``keras_compat.models``.
"""
from keras_compat.port.generate import (generate_source, input_consumers,  # noqa: F401
                                        load_source, to_torch)
from keras_compat.port.source import PortError  # noqa: F401
