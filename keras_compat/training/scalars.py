"""The NumPy scalars the training API returns (losses and metrics), printing as in Keras 1's
time: NumPy 1.x wrote ``[0.5000296, 1.0]`` for a list of scalars where NumPy 2 writes
``[np.float32(0.5000296), np.float32(1.0)]``.  They are ``np.float32``/``np.float64`` in every
other respect (isinstance, dtype, arithmetic), and pickle as plain NumPy scalars."""
import numpy as np


class Keras1Float32(np.float32):
    """A NumPy float32 that prints as NumPy 1.x did, also inside lists (``[0.5000296, 1.0]``,
    where NumPy 2 writes ``np.float32(0.5000296)``): the look of Keras-1-era output."""
    __slots__ = ()

    def __repr__(self):
        return str(self)

    def __reduce__(self):
        return np.float32, (float(self),)


class Keras1Float64(np.float64):
    """A NumPy float64 that prints as NumPy 1.x did, also inside lists."""
    __slots__ = ()

    def __repr__(self):
        return str(self)

    def __reduce__(self):
        return np.float64, (float(self),)
