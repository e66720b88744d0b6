"""``time_distributed_dense``: Keras 1's helper that applies one dense map to every timestep
(the recurrent layers' ``consume_less='cpu'`` input projection)."""
from keras_compat import backend as K


def _dim(value):
    return int(value)


def time_distributed_dense(x, w, b=None, dropout=None, input_dim=None, output_dim=None,
                           timesteps=None):
    """``y . w + b`` for every temporal slice ``y`` of the 3D tensor ``x``.

    # Arguments
        x: ``(samples, timesteps, input_dim)`` tensor.
        w: ``(input_dim, output_dim)`` weight matrix; b: optional bias vector.
        dropout: a rate in (0, 1): one dropout mask for all timesteps, in the training phase.
        input_dim, output_dim, timesteps: optional sizes (read from the tensors otherwise).

    # Returns
        ``(samples, timesteps, output_dim)`` tensor.
    """
    if not input_dim:
        input_dim = _dim(K.shape(x)[2])
    if not timesteps:
        timesteps = _dim(K.shape(x)[1])
    if not output_dim:
        output_dim = _dim(K.shape(w)[1])
    if dropout is not None and 0. < dropout < 1.:
        ones = K.ones_like(K.reshape(x[:, 0, :], (-1, input_dim)))
        mask = K.repeat(K.dropout(ones, dropout), timesteps)
        x = K.in_train_phase(x * mask, x)
    x = K.dot(K.reshape(x, (-1, input_dim)), w)
    if b is not None:
        x = x + b
    return K.reshape(x, (-1, timesteps, output_dim))
