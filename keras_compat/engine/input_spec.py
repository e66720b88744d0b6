"""``InputSpec``: what a layer expects of each input (Keras 1's ``layer.input_spec`` entries)."""


class InputSpec(object):
    """The ``dtype``, ``shape`` and ``ndim`` one input of a layer must have (``None`` anywhere
    means any). ``ndim`` may be a string ``'2+'`` (at least 2 dimensions); a ``shape`` sets
    ``ndim`` to its length.
    """

    def __init__(self, dtype=None, shape=None, ndim=None):
        if isinstance(ndim, str):
            minimum = ndim[:ndim.find('+')] if '+' in ndim else ''
            if not minimum.isdigit():
                raise ValueError('When passing a str "ndim", it should have the form "2+", '
                                 '"3+", etc.')
        self.ndim = len(shape) if shape is not None else ndim
        self.dtype = dtype
        self.shape = shape

    def __repr__(self):
        return "InputSpec(dtype=%r, shape=%r, ndim=%r)" % (self.dtype, self.shape, self.ndim)
