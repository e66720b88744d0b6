"""keras.backend tensor functions over torch, K.function and K.gradients."""
import numpy as np
import pytest
import torch

from keras_compat import backend as K
from keras_compat.layers import Dense, Input
from keras_compat.models import Model


def _np(t):
    return t.detach().numpy()


def test_reductions_and_elementwise():
    x = np.random.rand(3, 4).astype("float32") - 0.5
    t = torch.from_numpy(x)
    np.testing.assert_allclose(_np(K.sum(t, axis=1)), x.sum(1), rtol=1e-6)
    np.testing.assert_allclose(_np(K.mean(t, axis=-1, keepdims=True)), x.mean(-1, keepdims=True),
                               rtol=1e-6)
    np.testing.assert_allclose(_np(K.max(t, axis=0)), x.max(0))
    assert float(K.max(t)) == pytest.approx(x.max())
    np.testing.assert_allclose(_np(K.sqrt(t)), np.sqrt(np.clip(x, 0, None)))
    np.testing.assert_allclose(_np(K.clip(t, 0.1, 0.0)), np.clip(x, 0.1, 0.1))
    np.testing.assert_allclose(_np(K.hard_sigmoid(t)), np.clip(0.2 * x + 0.5, 0, 1), rtol=1e-6)
    np.testing.assert_allclose(_np(K.l2_normalize(t, 1)),
                               x / np.sqrt((x ** 2).sum(1, keepdims=True)), rtol=1e-5)
    np.testing.assert_allclose(_np(K.relu(t, alpha=0.1)), np.where(x > 0, x, 0.1 * x), rtol=1e-6)


def test_shapes_and_products():
    x = torch.rand(2, 3, 4)
    assert K.int_shape(K.permute_dimensions(x, (0, 2, 1))) == (2, 4, 3)
    assert K.int_shape(K.expand_dims(x)) == (2, 3, 4, 1)
    assert K.int_shape(K.repeat(torch.rand(2, 5), 3)) == (2, 3, 5)
    assert K.int_shape(K.batch_flatten(x)) == (2, 12)
    assert K.int_shape(K.flatten(x)) == (24,)
    assert K.int_shape(K.concatenate([x, x], axis=1)) == (2, 6, 4)
    assert K.int_shape(K.dot(x, torch.rand(4, 5))) == (2, 3, 5)
    assert K.int_shape(K.batch_dot(x, torch.rand(2, 4, 6), axes=(2, 1))) == (2, 3, 6)
    assert K.int_shape(K.batch_dot(torch.rand(2, 4), torch.rand(2, 4), axes=1)) == (2, 1)
    assert K.ndim(x) == 3 and K.shape(x).tolist() == [2, 3, 4]
    emb = torch.arange(12.).reshape(4, 3)
    assert K.gather(emb, torch.tensor([3, 0])).tolist() == [[9., 10., 11.], [0., 1., 2.]]
    assert K.eval(K.eye(2)).tolist() == [[1., 0.], [0., 1.]]
    assert K.tile(torch.ones(2, 2), (1, 3)).shape == (2, 6)


def test_losses_follow_keras1_formulas():
    out = torch.tensor([[0.2, 0.8], [0.6, 0.4]])
    tgt = torch.tensor([[0., 1.], [1., 0.]])
    np.testing.assert_allclose(_np(K.categorical_crossentropy(out, tgt)),
                               -np.log([0.8, 0.6]), rtol=1e-6)
    bce = K.binary_crossentropy(out, tgt)
    assert bce.shape == (2, 2)
    np.testing.assert_allclose(_np(bce)[0, 1], -np.log(0.8), rtol=1e-6)


def test_variables_are_parameters_and_values_round_trip():
    v = K.variable(np.ones((2, 2)), name="v")
    assert isinstance(v, torch.nn.Parameter)
    K.set_value(v, np.zeros((2, 2)))
    assert K.get_value(v).sum() == 0
    K.batch_set_value([(v, np.full((2, 2), 3.))])
    assert K.batch_get_value([v])[0][0, 0] == 3.
    assert K.count_params(v) == 4
    assert K.eval(K.ones((2, 3))).shape == (2, 3)
    assert K.floatx() == "float32" and K.epsilon() == pytest.approx(1e-7)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.bfloat16])
def test_inverted_dropout_noise_keeps_with_probability_keep_and_scales(dtype):
    from keras_compat.backend.ops import inverted_dropout_noise

    like = torch.ones(1, dtype=dtype)
    torch.manual_seed(5)
    noise = inverted_dropout_noise((200000,), 0.8, like)
    assert noise.dtype == dtype and noise.shape == (200000,)
    assert set(noise.float().unique().tolist()) == {0.0, 1.25}
    kept = (noise > 0).double().mean().item()
    assert abs(kept - 0.8) < 5 * (0.8 * 0.2 / 200000) ** 0.5   # five standard errors
    if dtype != torch.float64:   # reduced precision draws float32's mask (float64 its own)
        torch.manual_seed(5)
        assert torch.equal(inverted_dropout_noise((200000,), 0.8, torch.ones(1)) > 0, noise > 0)
    seeded = [inverted_dropout_noise((50,), 0.5, like, torch.Generator().manual_seed(3))
              for _ in range(2)]
    assert torch.equal(*seeded)


@pytest.mark.parametrize("layout", ["nchw", "channels_last"])
def test_inverted_dropout_noise_follows_a_channels_last_activation(layout):
    from keras_compat.backend.ops import inverted_dropout_noise

    like = torch.ones(64, 16, 20, 20)
    if layout == "channels_last":
        like = like.to(memory_format=torch.channels_last)
    noise = inverted_dropout_noise(like.shape, 0.75, like, torch.Generator().manual_seed(2))
    assert noise.shape == like.shape and noise.stride() == like.stride()
    kept = (noise > 0).double().mean().item()
    assert abs(kept - 0.75) < 5 * (0.75 * 0.25 / noise.numel()) ** 0.5
    # Another shape (a noise_shape) is drawn in plain C order.
    assert inverted_dropout_noise((64, 16, 1, 1), 0.75, like).is_contiguous()


@pytest.mark.parametrize("layout", ["nchw", "channels_last"])
def test_rows_of_flattens_in_c_order_and_returns_the_gradient_in_the_input_layout(layout):
    from keras_compat.backend.ops import rows_of
    values = torch.randn(3, 4, 5, 6)
    x = values.clone() if layout == "nchw" else values.to(memory_format=torch.channels_last)
    x.requires_grad_(True)
    rows = rows_of(x)
    assert torch.equal(rows, values.reshape(3, -1))
    upstream = torch.randn(3, 120)
    rows.backward(upstream)
    assert torch.equal(x.grad, upstream.reshape(3, 4, 5, 6))
    # A channels-last input gets a channels-last gradient (the layer before it keeps its
    # layout); an NCHW input keeps reshape's plain gradient.
    assert x.grad.is_contiguous(memory_format=torch.channels_last) == (layout != "nchw")
    assert x.grad.is_contiguous() == (layout == "nchw")


def test_dropout_with_a_seed_repeats_its_mask():
    x = torch.ones(64)
    assert torch.equal(K.dropout(x, 0.5, seed=7), K.dropout(x, 0.5, seed=7))


def test_learning_phase_switch_and_dropout():
    a, b = torch.zeros(3), torch.ones(3)
    with torch.no_grad():
        assert K.in_train_phase(a, b) is b
    K.set_learning_phase(1)
    try:
        assert K.in_train_phase(a, b) is a
    finally:
        K.set_learning_phase(None)
    assert K.switch(torch.tensor([True, False]), torch.ones(2), torch.zeros(2)).tolist() == [1., 0.]
    kept = K.dropout(torch.ones(1000), 0.5)
    assert set(np.unique(_np(kept)).tolist()) <= {0., 2.}
    assert K.random_uniform((3, 2), seed=1).shape == (3, 2)
    assert K.random_normal((4,), seed=1).tolist() == K.random_normal((4,), seed=1).tolist()


def test_function_and_gradients_on_model_tensors():
    x = Input(shape=(3,))
    dense = Dense(2, activation="linear")
    y = dense(x)
    model = Model(x, y)
    w, b = dense.get_weights()
    loss = K.mean(model.output[:, 0])
    grads = K.gradients(loss, model.input)[0]
    f = K.function([model.input, K.learning_phase()], [loss, grads])
    data = np.random.rand(4, 3).astype("float32")
    loss_value, grad_value = f([data, 0])
    np.testing.assert_allclose(loss_value, (data @ w + b)[:, 0].mean(), rtol=1e-5)
    np.testing.assert_allclose(grad_value, np.tile(w[:, 0] / 4, (4, 1)), rtol=1e-5)
    with pytest.raises(ValueError, match="expects 2 input values"):
        f([data])


def test_placeholder_function_and_updates():
    p = K.placeholder(shape=(None, 2))
    total = K.sum(p * 2)
    counter = K.variable(0.)
    f = K.function([p], [total], updates=[(counter, counter + 1)])
    assert float(f([np.ones((3, 2))])[0]) == 12.
    assert float(K.get_value(counter)) == 1.


def test_rnn_and_ctc():
    inputs = torch.ones(2, 3, 1)

    def step(x, states):
        out = states[0] + x
        return out, [out]

    last, outputs, states = K.rnn(step, inputs, [torch.zeros(2, 1)])
    assert last.tolist() == [[3.], [3.]] and outputs.shape == (2, 3, 1)
    mask = torch.tensor([[1, 1, 0], [1, 0, 0]])
    last, _, _ = K.rnn(step, inputs, [torch.zeros(2, 1)], mask=mask)
    assert last.tolist() == [[2.], [1.]]
    y_pred = torch.softmax(torch.rand(2, 5, 4), -1)
    cost = K.ctc_batch_cost(torch.tensor([[1, 2], [0, 0]]), y_pred, torch.tensor([[5], [5]]),
                            torch.tensor([[2], [1]]))
    assert cost.shape == (2, 1) and (cost > 0).all()
