"""``Input()`` and ``InputLayer``: the entry points of a functional-API graph."""
from keras_compat._args.rules import Rename
from keras_compat.backend import naming
from keras_compat.engine.layer import Layer
from keras_compat.engine.node import Node, SymbolicTensor


class InputLayer(Layer):
    """The layer behind ``Input()``: no weights, one node with no inbound layers.

    # Arguments
        input_shape: shape without the batch axis; batch_input_shape: with it.
        input_dtype: dtype name (``'float32'``; ``'int32'`` for Embedding indices).
        sparse: accepted for Keras-1 compatibility; inputs are always dense here.
        name: layer name (default ``input_<n>``).

    # Torch mapping
        Identity: ``forward`` returns its input.
    """

    aliases = (Rename("dtype", "input_dtype", example="float32"),
               Rename("batch_shape", "batch_input_shape", example=(None, 3)),
               Rename("shape", "input_shape", example=(3,)))

    def __init__(self, input_shape=None, batch_input_shape=None, input_dtype=None,
                 input_tensor=None, sparse=False, name=None):
        if input_tensor is not None:
            raise NotImplementedError("InputLayer %s: input_tensor= (wrapping an existing backend "
                                      "tensor) is not supported over torch; pass shape= instead"
                                      % (name,))
        if input_shape is None and batch_input_shape is None:
            raise ValueError("An Input layer should be passed either a `batch_input_shape` or an "
                             "`input_shape` (layer %s)." % (name,))
        if batch_input_shape is None:
            batch_input_shape = (None,) + tuple(input_shape)
        if not name:
            name = "input_%d" % naming.get_uid("input")
        super().__init__(batch_input_shape=tuple(batch_input_shape),
                         input_dtype=input_dtype or "float32", name=name)
        self.sparse = bool(sparse)
        self.built = True
        shape = tuple(batch_input_shape)
        self._input_shapes = [shape]
        self._output_shapes = [shape]
        tensor = SymbolicTensor(shape, self, 0, 0, dtype=self.input_dtype, name=self.name)
        Node.connect(self, [tensor], [tensor], [shape], [shape], source=True)

    def call(self, x, mask=None):
        return x

    def get_config(self):
        return {"batch_input_shape": self.batch_input_shape, "input_dtype": self.input_dtype,
                "sparse": self.sparse, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def Input(shape=None, batch_shape=None, name=None, dtype="float32", sparse=False, tensor=None):
    """A symbolic input tensor: ``Input(shape=(784,))`` is a batch of 784-vectors."""
    if shape is None and batch_shape is None:
        raise ValueError("Please provide to Input either a `shape` or a `batch_shape` argument. Note "
                         "that `shape` does not include the batch dimension.")
    if shape is not None and batch_shape is None:
        batch_shape = (None,) + tuple(shape)
    layer = InputLayer(batch_input_shape=batch_shape, input_dtype=dtype, sparse=sparse, name=name,
                       input_tensor=tensor)
    return layer._inbound_nodes[0].output_tensors[0]
