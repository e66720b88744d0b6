"""The one-pass Adam, RMSprop and Adagrad updates (``optimizers/_fused_kernels.py``) against
the multi-tensor updates they replace, and when they step aside."""
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keras_compat import optimizers
from keras_compat.optimizers import _fused_kernels

FACTORIES = {
    "RMSprop": lambda: optimizers.RMSprop(lr=0.01),
    "RMSprop-decay": lambda: optimizers.RMSprop(lr=0.01, rho=0.8, decay=0.01),
    "Adam": lambda: optimizers.Adam(lr=0.01),
    "Adam-decay-clip": lambda: optimizers.Adam(lr=0.01, beta_1=0.5, decay=0.1, clipnorm=1.),
    "Adagrad": lambda: optimizers.Adagrad(lr=0.05),
    "Adagrad-decay": lambda: optimizers.Adagrad(lr=0.05, decay=0.2),
}
KERNEL = {"RMSprop": "_fused_adam_", "Adam": "_fused_adam_", "Adagrad": "_fused_adagrad_"}
HAS_CPU_KERNELS = all(_fused_kernels._kernel_supported(name, torch.float32)
                      for name in ("adam", "adagrad"))


def _train(factory, fused, steps=200, seed=0, shapes=((64, 33), (33,)), grad_layout=None,
           dtype=torch.float32):
    """Parameters and optimizer weights after ``steps`` updates from seeded gradients whose
    scale varies from 1e-4 to 10 between steps."""
    _fused_kernels.set_fused_kernels(fused)
    try:
        generator = torch.Generator().manual_seed(seed)
        params = [torch.nn.Parameter(torch.randn(shape, generator=generator, dtype=dtype))
                  for shape in shapes]
        optimizer = factory().bind(params)
        for _ in range(steps):
            scale = 10. ** float(torch.randint(-4, 2, (), generator=generator))
            for p in params:
                grad = torch.randn(p.shape, generator=generator, dtype=dtype) * scale
                p.grad = grad if grad_layout is None else grad_layout(grad)
            optimizer.step()
            optimizer.zero_grad()
        # float64 copies: NumPy has no bfloat16.
        return ([p.detach().double().numpy() for p in params],
                [w.detach().double().numpy() for w in optimizer.weights])
    finally:
        _fused_kernels.set_fused_kernels(True)


def _assert_agree(fused, reference):
    params, weights = fused
    ref_params, ref_weights = reference
    for p, r in zip(params, ref_params):
        np.testing.assert_allclose(p, r, rtol=1e-5, atol=2e-6)
    for w, r in zip(weights, ref_weights):
        # A first moment can cancel to near zero: compare against the state's own scale.
        np.testing.assert_allclose(w, r, rtol=1e-5, atol=1e-5 * float(np.max(np.abs(r))))


def _assert_identical(trained, reference):
    for arrays, ref_arrays in zip(trained, reference):
        assert len(arrays) == len(ref_arrays)
        for a, r in zip(arrays, ref_arrays):
            np.testing.assert_array_equal(a, r)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=str)
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_fused_update_agrees_with_the_multi_tensor_update(name, dtype):
    _assert_agree(_train(FACTORIES[name], True, dtype=dtype),
                  _train(FACTORIES[name], False, dtype=dtype))


@pytest.mark.skipif(not HAS_CPU_KERNELS, reason="this torch has no fused CPU optimizer "
                    "kernels (torch < 2.4): the multi-tensor updates run")
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_the_fused_kernel_runs_on_cpu(name, monkeypatch):
    kernel_name = KERNEL[name.split("-")[0]]
    kernel, calls = getattr(torch, kernel_name), []

    def counting(*args, **kwargs):
        calls.append(len(args[0]))
        return kernel(*args, **kwargs)

    monkeypatch.setattr(torch, kernel_name, counting)
    _train(FACTORIES[name], True, steps=3)
    assert calls == [2, 2, 2]


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["RMSprop", "Adam", "Adagrad"]),
       lr=st.floats(1e-4, 0.5, allow_subnormal=False),
       beta=st.floats(0., 0.999, allow_subnormal=False), decay=st.sampled_from([0., 0.05]),
       steps=st.integers(1, 30), seed=st.integers(0, 2 ** 16))
def test_fused_and_multi_tensor_updates_agree_for_any_hyper_parameters(name, lr, beta, decay,
                                                                        steps, seed):
    arguments = {"RMSprop": dict(rho=beta), "Adam": dict(beta_1=beta, beta_2=0.999),
                 "Adagrad": {}}[name]

    def factory():
        return getattr(optimizers, name)(lr=lr, decay=decay, **arguments)

    shapes = ((5, 3), (3,), (1,))
    _assert_agree(_train(factory, True, steps, seed, shapes),
                  _train(factory, False, steps, seed, shapes))


def test_rmsprop_leaves_the_gradients_as_they_were():
    # The gradients serve as the kernel's first moment (beta1 = 0 writes g over itself).
    p = torch.nn.Parameter(torch.randn(7, 5))
    grad = torch.randn(7, 5)
    p.grad = grad.clone()
    optimizers.RMSprop().bind([p]).step()
    assert torch.equal(p.grad, grad)


def test_non_contiguous_gradients_take_the_multi_tensor_update(monkeypatch):
    kernel, calls = torch._fused_adam_, []
    monkeypatch.setattr(torch, "_fused_adam_", lambda *a, **k: calls.append(1) or kernel(*a, **k))
    transposed = _train(FACTORIES["Adam"], True, steps=20, shapes=((6, 4),),
                        grad_layout=lambda g: g.t().contiguous().t())
    assert calls == []
    _assert_agree(transposed, _train(FACTORIES["Adam"], False, steps=20, shapes=((6, 4),)))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16], ids=str)
def test_half_precision_parameters_take_the_multi_tensor_update(dtype, monkeypatch):
    kernel, calls = torch._fused_adam_, []
    monkeypatch.setattr(torch, "_fused_adam_", lambda *a, **k: calls.append(1) or kernel(*a, **k))
    _assert_identical(_train(FACTORIES["RMSprop"], True, steps=5, dtype=dtype),
                      _train(FACTORIES["RMSprop"], False, steps=5, dtype=dtype))
    assert calls == []


def test_a_torch_without_the_cpu_kernels_gets_the_multi_tensor_update(monkeypatch):
    def missing(*args, **kwargs):
        raise NotImplementedError("no CPU kernel in this torch")

    monkeypatch.setattr(_fused_kernels, "_supported", {})
    monkeypatch.setattr(torch, "_fused_adam_", missing)
    monkeypatch.setattr(torch, "_fused_adagrad_", missing)
    for name in ("RMSprop", "Adam", "Adagrad"):
        _assert_identical(_train(FACTORIES[name], True, steps=5),
                          _train(FACTORIES[name], False, steps=5))
    assert _fused_kernels._supported == {("adam", torch.float32): False,
                                         ("adagrad", torch.float32): False}


def test_a_torch_without_the_fused_ops_gets_the_multi_tensor_update(monkeypatch):
    monkeypatch.setattr(_fused_kernels, "_supported", {})
    monkeypatch.delattr(torch, "_fused_adam_")
    _assert_identical(_train(FACTORIES["Adam"], True, steps=5),
                      _train(FACTORIES["Adam"], False, steps=5))


def test_set_fused_kernels_switches_the_path(monkeypatch):
    calls = []
    kernel = torch._fused_adam_
    monkeypatch.setattr(torch, "_fused_adam_", lambda *a, **k: calls.append(1) or kernel(*a, **k))
    try:
        _fused_kernels.set_fused_kernels(False)
        assert not _fused_kernels.fused_kernels_enabled()
        p = torch.nn.Parameter(torch.ones(3))
        p.grad = torch.ones(3)
        optimizers.Adam().bind([p]).step()
        assert calls == []
    finally:
        _fused_kernels.set_fused_kernels(True)
    assert _fused_kernels.fused_kernels_enabled()
