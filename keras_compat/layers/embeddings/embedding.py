"""``Embedding``: turns positive integer indices into dense vectors."""
import torch
import torch.nn.functional as F

from keras_compat import constraints, initializations, regularizers
from keras_compat._args import groups, values
from keras_compat._args.rules import MapValues, Rename
from keras_compat.backend.ops import inverted_dropout_noise
from keras_compat.engine.layer import Layer, WeightSpec


class Embedding(Layer):
    """Turns positive integers (indexes) into dense vectors of fixed size,
    e.g. ``[[4], [20]] -> [[[0.25, 0.1]], [[0.6, -0.2]]]``.  Only as a first layer.

    # Arguments
        input_dim: int > 0, size of the vocabulary (maximum index + 1).
        output_dim: int >= 0, dimension of the dense embedding.
        init: initializer name or function for ``W`` (default ``'uniform'``, U(-0.05, 0.05)).
        input_length: length of the input sequences when it is constant (needed to connect
            ``Flatten`` then ``Dense`` downstream).
        W_regularizer, activity_regularizer, W_constraint: as Keras 1.
        mask_zero: whether index 0 is a padding value to be masked out (the output
            carries the mask ``x != 0``); the vocabulary then needs ``input_dim`` =
            vocabulary size + 1.
        weights: list with one NumPy array ``W (input_dim, output_dim)``.
        dropout: float in [0, 1): in training, fraction of the *rows* of ``W`` (whole words)
            dropped, the kept rows scaled by ``1 / (1 - dropout)``.

    # Input shape
        2D ``(nb_samples, sequence_length)`` of integer indices (always declared as
        ``batch_input_shape=(None, input_length)``, ``input_dtype='int32'``, as Keras 1).

    # Output shape
        3D ``(nb_samples, input_length or sequence_length, output_dim)``.

    # Torch mapping
        ``weight`` ``(input_dim, output_dim)`` is the Keras-1 ``W`` as is (the
        ``torch.nn.Embedding`` layout); forward is ``F.embedding(x.long(), weight)``.
        Keras-2 spellings: ``embeddings_initializer`` / ``embeddings_regularizer`` /
        ``embeddings_constraint``.

    # Differences from Keras 1
        An index outside ``[0, input_dim)`` raises a ``ValueError`` naming the layer (Keras 1's
        backends either failed with a backend error or read garbage).  ``dropout`` must lie
        in [0, 1) (Keras 1 silently ignored other values).  The dropout mask comes from
        torch's generator.
    """

    input_spec_ndim = "any"

    aliases = (
        Rename("embeddings_initializer", "init", example="uniform"),
        MapValues("init", groups.INITIALIZER_NAMES, example="random_uniform"),
        Rename("embeddings_regularizer", "W_regularizer", example=None),
        Rename("embeddings_constraint", "W_constraint", example=None),
    )
    input_ndim = 2

    def __init__(self, input_dim, output_dim, init="uniform", input_length=None,
                 W_regularizer=None, activity_regularizer=None, W_constraint=None,
                 mask_zero=False, weights=None, dropout=0., **kwargs):
        kwargs["input_shape"] = (input_length,)
        kwargs["input_dtype"] = "int32"
        super().__init__(**kwargs)
        self.input_dim = values.check_positive_int("Embedding", "input_dim", input_dim)
        if isinstance(output_dim, bool) or not isinstance(output_dim, int) or output_dim < 0:
            raise ValueError("Embedding: output_dim must be a non-negative integer, got %r"
                             % (output_dim,))
        self.output_dim = output_dim
        self.init = initializations.get(init)
        self.input_length = input_length
        self.W_regularizer = regularizers.get(W_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.W_constraint = constraints.get(W_constraint)
        self.mask_zero = bool(mask_zero)
        dropout = float(dropout)
        if not 0.0 <= dropout < 1.0:
            raise ValueError("Embedding: dropout must be in [0, 1), got %r" % (dropout,))
        self.dropout = dropout
        self.uses_learning_phase = 0 < dropout < 1
        self.initial_weights = weights

    def build(self, input_shape):
        self.weight = torch.nn.Parameter(torch.empty(self.input_dim, self.output_dim))
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            self.weight.copy_(self.init((self.input_dim, self.output_dim)))

    def weight_specs(self):
        return [WeightSpec("W", "weight")]

    def check_input_shape(self, input_shape):
        super().check_input_shape(input_shape)
        if (self.input_length is not None and input_shape[1] is not None
                and input_shape[1] != self.input_length):
            raise ValueError("Input 0 is incompatible with layer %s: expected sequences of length "
                             "input_length=%d, got input shape %s"
                             % (self.name, self.input_length, tuple(input_shape)))

    def get_output_shape_for(self, input_shape):
        length = self.input_length if self.input_length else input_shape[1]
        return (input_shape[0], length, self.output_dim)

    def output_has_mask(self, input_has_mask):
        return self.mask_zero

    def compute_mask(self, x, mask=None):
        if not self.mask_zero:
            return None
        return x != 0

    def call(self, x, mask=None):
        indices = x.long()
        if indices.numel():
            low, high = int(indices.min()), int(indices.max())
            if low < 0 or high >= self.input_dim:
                raise ValueError("Layer %s: input index %d is out of range: indices must be in "
                                 "[0, input_dim=%d)" % (self.name, low if low < 0 else high,
                                                        self.input_dim))
        weight = self.weight
        if self.training and self.dropout > 0:
            weight = weight * inverted_dropout_noise((self.input_dim, 1), 1.0 - self.dropout,
                                                     weight)
        return F.embedding(indices, weight)

    def extra_repr(self):
        return "name=%r, input_dim=%d, output_dim=%d, input_length=%s, mask_zero=%s" % (
            self.name, self.input_dim, self.output_dim, self.input_length, self.mask_zero)
