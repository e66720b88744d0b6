"""keras_compat.optimizers against Keras 1.2.2's update rules (keras/optimizers.py) and a NumPy reference."""
import copy

import numpy as np
import pytest
import torch

from keras_compat import optimizers
from keras_compat.optimizers import (SGD, Adadelta, Adagrad, Adam, Adamax, Nadam, RMSprop,
                                     KerasAdam, KerasSGD)


def _abs_run(opt, steps=2):
    """Minimise f(w) = |w| from w0 = 1 and return w after each step."""
    w = torch.nn.Parameter(torch.ones(()))
    opt.bind([w])
    out = []
    for _ in range(steps):
        w.abs().backward()
        opt.step()
        opt.zero_grad()
        out.append(float(w.detach()))
    return out


# --------------------------------------------------------------- 1. reference numbers
@pytest.mark.parametrize("opt, expected", [
    (lambda: SGD(lr=0.1), (0.9, 0.8)),
    (lambda: SGD(lr=0.1, decay=0.5), (0.9, 0.833333)),
    (lambda: SGD(lr=0.1, momentum=0.9), (0.9, 0.71)),
    (lambda: SGD(lr=0.1, momentum=0.9, nesterov=True), (0.81, 0.539)),
    (lambda: RMSprop(lr=0.1), (0.683772, 0.454357)),
    (lambda: Adagrad(lr=0.1), (0.9, 0.829289)),
    (lambda: Adadelta(lr=1.0), (0.999553, 0.9991)),
    (lambda: Adam(lr=0.1), (0.9, 0.8)),
    (lambda: Adam(lr=0.1, decay=0.5), (0.9, 0.833334)),
    (lambda: Adamax(lr=0.1), (0.9, 0.8)),
    (lambda: Nadam(lr=0.1), (0.894355, 0.815987)),
], ids=["sgd", "sgd-decay", "momentum", "nesterov", "rmsprop", "adagrad", "adadelta", "adam",
        "adam-decay", "adamax", "nadam"])
def test_reference_numbers(opt, expected):
    np.testing.assert_allclose(_abs_run(opt()), expected, atol=1e-6, rtol=0)


# --------------------------------------------------------------- 2. NumPy reference
def _process(grads, clipnorm, clipvalue):
    if clipnorm:
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        if norm >= clipnorm:
            grads = [g * clipnorm / norm for g in grads]
    if clipvalue:
        grads = [np.clip(g, -clipvalue, clipvalue) for g in grads]
    return grads


def _reference(name, hp, params, grad_seq, clipnorm=None, clipvalue=None):
    """Keras 1.2.2's update rules written directly in float64 NumPy."""
    params = [p.astype(np.float64) for p in params]
    s1 = [np.zeros_like(p) for p in params]
    s2 = [np.zeros_like(p) for p in params]
    iterations, schedule = 0, 1.0
    decay = hp.get("decay", 0.)
    for grads in grad_seq:
        grads = _process([g.astype(np.float64) for g in grads], clipnorm, clipvalue)
        lr = hp["lr"] / (1. + decay * iterations)
        t = iterations + 1
        for i, (p, g) in enumerate(zip(params, grads)):
            if name == "SGD":
                mom = hp.get("momentum", 0.)
                v = mom * s1[i] - lr * g
                s1[i] = v
                params[i] = p + mom * v - lr * g if hp.get("nesterov") else p + v
            elif name == "RMSprop":
                rho = hp.get("rho", 0.9)
                s1[i] = rho * s1[i] + (1 - rho) * g ** 2
                params[i] = p - lr * g / (np.sqrt(s1[i]) + 1e-8)
            elif name == "Adagrad":
                s1[i] = s1[i] + g ** 2
                params[i] = p - lr * g / (np.sqrt(s1[i]) + 1e-8)
            elif name == "Adadelta":
                rho, eps = 0.95, 1e-8
                s1[i] = rho * s1[i] + (1 - rho) * g ** 2
                u = g * np.sqrt(s2[i] + eps) / np.sqrt(s1[i] + eps)
                params[i] = p - lr * u
                s2[i] = rho * s2[i] + (1 - rho) * u ** 2
            elif name == "Adam":
                b1, b2 = 0.9, 0.999
                lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                s1[i] = b1 * s1[i] + (1 - b1) * g
                s2[i] = b2 * s2[i] + (1 - b2) * g ** 2
                params[i] = p - lr_t * s1[i] / (np.sqrt(s2[i]) + 1e-8)
            elif name == "Adamax":
                b1, b2 = 0.9, 0.999
                lr_t = lr / (1 - b1 ** t)
                s1[i] = b1 * s1[i] + (1 - b1) * g
                s2[i] = np.maximum(b2 * s2[i], np.abs(g))
                params[i] = p - lr_t * s1[i] / (s2[i] + 1e-8)
            elif name == "Nadam":
                b1, b2, sd = 0.9, 0.999, 0.004
                mu_t = b1 * (1 - 0.5 * 0.96 ** (t * sd))
                mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * sd))
                s_new = schedule * mu_t
                s_next = s_new * mu_next
                g_hat = g / (1 - s_new)
                s1[i] = b1 * s1[i] + (1 - b1) * g
                m_hat = s1[i] / (1 - s_next)
                s2[i] = b2 * s2[i] + (1 - b2) * g ** 2
                v_hat = s2[i] / (1 - b2 ** t)
                m_bar = (1 - mu_t) * g_hat + mu_next * m_hat
                params[i] = p - hp["lr"] * m_bar / (np.sqrt(v_hat) + 1e-8)
        if name == "Nadam":
            schedule *= mu_t
        if name in ("Adam", "Adamax", "Nadam") or decay > 0:
            iterations += 1
    return params


CASES = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9, decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, rho=0.8, decay=0.2)),
    ("Adagrad", dict(lr=0.05, decay=0.1)),
    ("Adadelta", dict(lr=1.0)),
    ("Adadelta", dict(lr=0.5, decay=0.3)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, decay=0.1)),
    ("Adamax", dict(lr=0.02, decay=0.1)),
    ("Nadam", dict(lr=0.02)),
]
CLIPS = [dict(), dict(clipnorm=1.5), dict(clipvalue=0.4), dict(clipnorm=1.5, clipvalue=0.4),
         dict(clipnorm=100.)]


@pytest.mark.parametrize("clip", CLIPS, ids=lambda c: "-".join(c) or "noclip")
@pytest.mark.parametrize("name, hp", CASES, ids=lambda x: x if isinstance(x, str) else "")
def test_matches_numpy_reference(name, hp, clip):
    rng = np.random.RandomState(hash((name, tuple(sorted(hp)))) % 2 ** 31)
    init = [rng.randn(3, 4).astype(np.float32), rng.randn(4).astype(np.float32)]
    grad_seq = [[rng.randn(3, 4).astype(np.float32), rng.randn(4).astype(np.float32)]
                for _ in range(5)]
    params = [torch.nn.Parameter(torch.from_numpy(p.copy())) for p in init]
    opt = getattr(optimizers, name)(**dict(hp, **clip)).bind(params)
    for grads in grad_seq:
        for p, g in zip(params, grads):
            p.grad = torch.from_numpy(g.copy())
        opt.step()
        opt.zero_grad()
        assert all(p.grad is None for p in params)
    expected = _reference(name, hp, init, grad_seq, **clip)
    for p, e in zip(params, expected):
        np.testing.assert_allclose(p.detach().numpy(), e, atol=1e-6, rtol=1e-6)


def test_clipnorm_is_global_and_only_scales_above_threshold():
    a, b = torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))
    opt = SGD(lr=1., clipnorm=5.).bind([a, b])
    a.grad, b.grad = torch.tensor([3.]), torch.tensor([4.])   # norm exactly 5: scaled (x1)
    opt.step()
    assert a.item() == pytest.approx(-3.) and b.item() == pytest.approx(-4.)
    a.grad, b.grad = torch.tensor([6.]), torch.tensor([8.])   # norm 10 -> halved
    opt.step()
    assert a.item() == pytest.approx(-6.) and b.item() == pytest.approx(-8.)


# --------------------------------------------------------------- 3. interface
ALL = [SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam]


def test_defaults_and_config_keys():
    assert SGD().get_config() == dict(lr=np.float32(0.01).item(), momentum=0., decay=0.,
                                      nesterov=False)
    cfg = Adam().get_config()
    assert list(cfg) == ["lr", "beta_1", "beta_2", "decay", "epsilon"]
    assert cfg["lr"] == 0.0010000000474974513 and cfg["epsilon"] == 1e-8
    assert list(RMSprop().get_config()) == ["lr", "rho", "decay", "epsilon"]
    assert list(Adagrad().get_config()) == ["lr", "decay", "epsilon"]
    assert Adadelta().get_config() == dict(lr=1.0, rho=0.95, decay=0., epsilon=1e-8)
    assert list(Adamax().get_config()) == ["lr", "beta_1", "beta_2", "decay", "epsilon"]
    assert list(Nadam().get_config()) == ["lr", "beta_1", "beta_2", "epsilon", "schedule_decay"]
    assert Nadam().get_config()["lr"] == np.float32(0.002).item()
    assert "clipnorm" not in SGD().get_config()
    assert SGD(clipnorm=1., clipvalue=0.5).get_config()["clipvalue"] == 0.5


@pytest.mark.parametrize("cls", ALL)
def test_config_round_trip(cls):
    opt = cls(lr=0.123, clipnorm=2.)
    clone = cls.from_config(opt.get_config())
    assert clone.get_config() == opt.get_config()
    again = optimizers.get(optimizers.serialize(opt))
    assert type(again) is cls and again.get_config() == opt.get_config()
    for key, value in opt.get_config().items():
        assert isinstance(value, (float, bool, int))
    assert isinstance(opt.lr, torch.Tensor) and opt.lr.dtype == torch.float32
    assert opt.lr.dim() == 0 and opt.lr.device.type == "cpu"
    assert isinstance(opt.iterations, torch.Tensor) and float(opt.iterations) == 0.


def test_plain_number_hyperparameters():
    assert isinstance(Adadelta().rho, float) and isinstance(RMSprop().rho, torch.Tensor)
    assert isinstance(Nadam().schedule_decay, float) and isinstance(Adam().epsilon, float)
    assert isinstance(SGD().momentum, torch.Tensor) and SGD().nesterov is False
    assert isinstance(Adam().beta_1, torch.Tensor) and isinstance(Adam().decay, torch.Tensor)


@pytest.mark.parametrize("cls", ALL)
def test_learning_rate_alias(cls):
    assert float(cls(learning_rate=0.25).lr) == 0.25
    with pytest.raises(TypeError):
        cls(lr=0.1, learning_rate=0.2)
    with pytest.raises(TypeError):
        cls(0.1, learning_rate=0.2)


@pytest.mark.parametrize("cls", ALL)
def test_unknown_kwarg_raises(cls):
    with pytest.raises(TypeError) as info:
        cls(foo=1)
    assert cls.__name__ in str(info.value) and "foo" in str(info.value)


def test_nadam_has_no_decay():
    with pytest.raises(TypeError, match="decay"):
        Nadam(decay=0.1)


def test_get():
    assert isinstance(optimizers.get("sgd"), SGD)
    assert isinstance(optimizers.get("RMSprop"), RMSprop)
    assert isinstance(optimizers.get("ADAM"), Adam)
    for name in ("adagrad", "adadelta", "adamax", "nadam", "Nadam"):
        assert type(optimizers.get(name)).__name__.lower() == name.lower()
    opt = Adam()
    assert optimizers.get(opt) is opt
    made = optimizers.get({"class_name": "SGD", "config": {"lr": 0.5, "momentum": 0.9}})
    assert isinstance(made, SGD) and float(made.momentum) == pytest.approx(0.9)
    assert float(optimizers.get("sgd", {"lr": 0.3}).lr) == pytest.approx(0.3)
    with pytest.raises(ValueError) as info:
        optimizers.get("nope")
    assert "nope" in str(info.value) and "'rmsprop'" in str(info.value)


def test_lowercase_aliases_and_exports():
    assert optimizers.sgd is SGD and optimizers.rmsprop is RMSprop
    assert optimizers.adagrad is Adagrad and optimizers.adadelta is Adadelta
    assert optimizers.adam is Adam and optimizers.adamax is Adamax and optimizers.nadam is Nadam
    assert all(issubclass(cls, optimizers.Optimizer) for cls in ALL)
    assert not issubclass(Adamax, Adam)  # siblings in Keras 1, as here
    assert optimizers.serialize(SGD(lr=0.5)) == {"class_name": "SGD", "config": SGD(lr=0.5)
                                                 .get_config()}


def test_set_value_changes_next_step():
    w = torch.nn.Parameter(torch.zeros(()))
    opt = SGD(lr=0.1).bind([w])
    w.grad = torch.ones(())
    opt.step()
    assert float(w.detach()) == pytest.approx(-0.1)
    opt.lr.fill_(0.5)  # K.set_value(model.optimizer.lr, 0.5)
    w.grad = torch.ones(())
    opt.step()
    assert float(w.detach()) == pytest.approx(-0.6)
    opt.momentum.fill_(0.5)  # momentum buffer now materialised from the deferred step
    w.grad = torch.ones(())
    opt.step()
    assert float(w.detach()) == pytest.approx(-0.6 + 0.5 * -0.5 - 0.5)


def test_iterations_counting():
    for opt, expected in ((SGD(), 0), (SGD(decay=0.1), 3), (RMSprop(), 0), (Adagrad(decay=1.), 3),
                          (Adadelta(), 0), (Adam(), 3), (Adamax(), 3), (Nadam(), 3)):
        w = torch.nn.Parameter(torch.ones(2))
        opt.bind([w])
        for _ in range(3):
            w.grad = torch.ones(2)
            opt.step()
        assert float(opt.iterations) == expected, type(opt).__name__


def test_decay_set_later_has_no_effect_like_keras():
    # Keras 1 decides from the constructor's decay whether time decay is built at all.
    w = torch.nn.Parameter(torch.zeros(()))
    opt = SGD(lr=0.1)
    opt.decay.fill_(1.)
    opt.bind([w])
    for _ in range(2):
        w.grad = torch.ones(())
        opt.step()
    assert float(w.detach()) == pytest.approx(-0.2)


def test_constraints_applied_after_update():
    a = torch.nn.Parameter(torch.tensor([0.5, -0.5]))
    b = torch.nn.Parameter(torch.tensor([0.0]))
    seen = []

    def nonneg(x):
        seen.append(x.detach().clone())
        return x.clamp(min=0.)
    opt = SGD(lr=1.).bind([a, b], constraints={a: nonneg})
    a.grad, b.grad = torch.tensor([1., -1.]), torch.tensor([1.])
    opt.step()
    assert torch.allclose(seen[0], torch.tensor([-0.5, 0.5]))  # sees the updated value
    assert torch.equal(a.detach(), torch.tensor([0., 0.5]))
    assert torch.equal(b.detach(), torch.tensor([-1.]))        # unconstrained


def test_params_without_grad_are_skipped():
    a, b = torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(2))
    opt = Adam(lr=0.1).bind([a, b])
    a.grad = torch.ones(2)
    opt.step()
    assert torch.equal(b.detach(), torch.ones(2)) and float(a.detach()[0]) == pytest.approx(0.9)


@pytest.mark.parametrize("cls, layout", [
    (SGD, ["it", "m", "m"]), (RMSprop, ["a", "a"]), (Adagrad, ["a", "a"]),
    (Adadelta, ["a", "a", "d", "d"]), (Adam, ["it", "m", "m", "v", "v"]),
    (Adamax, ["it", "m", "m", "u", "u"]), (Nadam, ["it", "m", "m", "v", "v"])])
def test_weights_order_and_round_trip(cls, layout):
    opt = cls()
    assert opt.get_weights() == [] and opt.weights == []
    shapes = [(3, 2), (2,)]
    params = [torch.nn.Parameter(torch.randn(*s)) for s in shapes]
    opt.bind(params)
    weights = opt.get_weights()
    expected_shapes = []
    for i, kind in enumerate(layout):
        expected_shapes.append(() if kind == "it" else shapes[(i - (layout[0] == "it")) % 2])
    assert [w.shape for w in weights] == expected_shapes
    assert all(w.dtype == np.float32 for w in weights)
    for _ in range(2):
        for p in params:
            p.grad = torch.randn_like(p)
        opt.step()
    saved = opt.get_weights()
    if layout[0] == "it":
        assert saved[0] == (2. if cls is not SGD else 0.)
    # a fresh optimizer given the saved weights continues exactly like the original
    clone = [torch.nn.Parameter(p.detach().clone()) for p in params]
    other = cls().bind(clone)
    other.set_weights(saved)
    for a, b in zip(opt.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    grads = [torch.randn_like(p) for p in params]
    for ps, o in ((params, opt), (clone, other)):
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        o.step()
    if cls is Nadam:  # m_schedule is not among Keras' weights; carry it by hand
        return
    for p, q in zip(params, clone):
        torch.testing.assert_close(p.detach(), q.detach())
    with pytest.raises(ValueError):
        other.set_weights(saved[:-1])
    bad = list(saved)
    bad[-1] = np.zeros((7,), np.float32)
    with pytest.raises(ValueError):
        other.set_weights(bad)


# beta_2 is a float32 variable, so Keras' (1 - beta_2) is 0.000999987..., not 0.001
_ONE_MINUS_B2 = float(np.float32(1.) - np.float32(0.999))


@pytest.mark.parametrize("opt, expected", [
    # one step from fresh state with gradients g0 = 1s (3, 2), g1 = 2s (2,)
    (SGD(lr=0.1, momentum=0.5), [0., -0.1, -0.2]),
    (RMSprop(rho=0.9), [0.1, 0.4]),
    (Adagrad(), [1., 4.]),
    (Adadelta(), [0.05, 0.2, None, None]),
    (Adam(), [1., 0.1, 0.2, _ONE_MINUS_B2, 4 * _ONE_MINUS_B2]),
    (Adamax(), [1., 0.1, 0.2, 1., 2.]),
    (Nadam(), [1., 0.1, 0.2, _ONE_MINUS_B2, 4 * _ONE_MINUS_B2]),
], ids=lambda x: type(x).__name__ if not isinstance(x, list) else "")
def test_weights_are_in_keras_order(opt, expected):
    params = [torch.nn.Parameter(torch.zeros(3, 2)), torch.nn.Parameter(torch.zeros(2))]
    opt.bind(params)
    params[0].grad, params[1].grad = torch.ones(3, 2), torch.full((2,), 2.)
    opt.step()
    got = opt.get_weights()
    assert len(got) == len(expected)
    for w, e in zip(got, expected):
        if e is not None:
            np.testing.assert_allclose(w, np.full(w.shape, e), rtol=1e-6)
    if isinstance(opt, Adadelta):  # delta accumulators follow the accumulators
        assert got[2].shape == (3, 2) and got[3].shape == (2,) and got[2].min() > 0


def test_sgd_moments_saved_even_without_momentum():
    w = torch.nn.Parameter(torch.zeros(3))
    opt = SGD(lr=0.1).bind([w])
    w.grad = torch.tensor([1., 2., 3.])
    opt.step()
    opt.zero_grad()
    it, m = opt.get_weights()
    np.testing.assert_allclose(m, [-0.1, -0.2, -0.3], rtol=1e-6)
    assert it == 0.


def test_torch_optimizer_direct_use_and_state_dict():
    w = torch.nn.Parameter(torch.ones(()))
    opt = KerasSGD([w], lr=0.1, momentum=0.9)
    assert isinstance(opt, torch.optim.Optimizer)
    for expected in (0.9, 0.71):
        opt.zero_grad()
        w.abs().backward()
        opt.step()
        assert float(w.detach()) == pytest.approx(expected, abs=1e-6)

    keras_opt = Adam(lr=0.1).bind([torch.nn.Parameter(torch.ones(()))])
    assert isinstance(keras_opt.torch_optimizer, KerasAdam)
    p = keras_opt.torch_optimizer.param_groups[0]["params"][0]
    p.grad = torch.ones(())
    keras_opt.step()
    sd = copy.deepcopy(keras_opt.state_dict())
    keras_opt.step()
    keras_opt.load_state_dict(sd)
    assert float(keras_opt.iterations) == 1.
    keras_opt.lr.fill_(0.0)  # the variable is still the one the update reads
    before = float(p.detach())
    p.grad = torch.ones(())
    keras_opt.step()
    assert float(p.detach()) == before


def test_import_has_no_side_effects_and_respects_layering():
    import pathlib
    import re
    import subprocess
    import sys
    code = ("import torch; before = (torch.get_default_dtype(), torch.initial_seed(), "
            "torch.get_num_threads()); import keras_compat.optimizers; "
            "assert (torch.get_default_dtype(), torch.initial_seed(), "
            "torch.get_num_threads()) == before")
    root = pathlib.Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(root))
    # optimizers may only depend on keras_compat._args.rules, keras_compat.backend and the
    # import-free name registry (custom objects, get_from_module)
    for path in (root / "keras_compat" / "optimizers").glob("*.py"):
        for module in re.findall(r"^\s*(?:from|import)\s+(keras_compat[\w.]*)",
                                 path.read_text(), re.M):
            assert module in ("keras_compat._args.rules", "keras_compat.backend",
                              "keras_compat._registry") \
                or module.startswith("keras_compat.backend."), (path.name, module)
