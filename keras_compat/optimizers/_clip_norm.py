"""``clip_norm``: Keras 1's gradient rescaling by a global norm."""
import keras_compat.backend as K


def clip_norm(g, c, n):
    """``g * c / n`` where the norm ``n`` reaches ``c`` (and ``c > 0``), else ``g``."""
    if c > 0:
        g = K.switch(n >= c, g * c / n, g)
    return g
