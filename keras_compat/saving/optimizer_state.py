"""Optimizer state in a model file: between keras_compat's list and Keras 1's layout.

Keras 1's ``optimizer_weights`` are its ``optimizer.weights`` list; keras_compat's optimizer
keeps one state tensor per torch parameter. This module converts between the two, through
each layer's own weight layout, for ``model.save`` and ``load_model`` in both formats.
"""
import numpy as np
import torch

from keras_compat.layers.core.torch_module import TorchModule


def optimizer_arrays(model):
    """The compiled model's optimizer state in Keras 1's ``optimizer.weights`` order and layout."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or getattr(model, "_trainer", None) is None:
        return []
    return optimizer_layout(model, optimizer.get_weights(), to_keras=True)


def optimizer_layout(model, arrays, to_keras):
    """Optimizer state between keras_compat's list and Keras 1's ``optimizer.weights`` list.

    Keras 1 lists leading scalars (``iterations``, Nadam's ``m_schedule``), then one block per
    state kind, each holding one array per trainable *Keras* variable, sorted by variable name,
    in Keras layout. keras_compat keeps one state tensor per torch parameter (in the trainer's
    order, torch layout; a recurrent layer packs its per-gate matrices into one parameter).
    Each block is converted through the owning layer's own ``get_weights``/``set_weights``
    (the state is swapped into the parameters for the call), so every layout rule of the
    layer applies to its optimizer state too.
    """
    params = list(getattr(model._trainer, "parameters", ()))
    owners = _state_owners(model, params)
    names = sorted(name for _, specs in owners for name, spec, _ in specs if spec.trainable)
    if not params or not names:
        return list(arrays)
    lead = 0
    while lead < len(arrays) and np.asarray(arrays[lead]).ndim == 0:
        lead += 1
    size = len(params) if to_keras else len(names)
    if (len(arrays) - lead) % size:
        return list(arrays)
    converted = [np.asarray(a) for a in arrays[:lead]]
    for start in range(lead, len(arrays), size):
        block = [np.asarray(a) for a in arrays[start:start + size]]
        converted.extend(_block_to_keras(owners, params, block, names) if to_keras
                         else _block_from_keras(owners, params, block, names))
    return converted


def _state_owners(model, params):
    """``[(layer, [(keras_name, spec, owned_params)])]`` for layers owning trainer parameters."""
    wanted = {id(p) for p in params}
    found = []
    for module in model.modules():
        if not hasattr(module, "_ordered_specs"):
            continue
        owned = [p for p in _own_parameters(module) if id(p) in wanted]
        if not owned:
            continue
        specs = module._ordered_specs()
        found.append((module, [(n, s, owned) for n, s in zip(module.keras1_weight_names(),
                                                              specs)]))
    return found


def _own_parameters(module):
    """The parameters a layer's ``get_weights`` lists itself (a nested layer lists its own)."""
    if isinstance(module, TorchModule):  # they live in the wrapped module's children
        return list(module.module.parameters())
    return [p for p in module._parameters.values() if p is not None]


class _Swapped:
    """Temporarily give parameters other values (optimizer state), restoring them after."""

    def __init__(self, params, values):
        self.params, self.values = params, values

    def __enter__(self):
        with torch.no_grad():
            self.saved = [p.detach().clone() for p in self.params]
            for p, v in zip(self.params, self.values):
                p.copy_(torch.as_tensor(np.asarray(v), dtype=p.dtype))
        return self

    def __exit__(self, *exc):
        with torch.no_grad():
            for p, v in zip(self.params, self.saved):
                p.copy_(v)
        return False


def _block_to_keras(owners, params, block, names):
    state_of = {id(p): v for p, v in zip(params, block)}
    by_name = {}
    for layer, specs in owners:
        owned = specs[0][2]
        with _Swapped(owned, [state_of[id(p)] for p in owned]):
            values = layer.get_weights()
        for (name, spec, _), value in zip(specs, values):
            if spec.trainable:
                by_name[name] = value
    return [by_name[n] for n in names]


def _block_from_keras(owners, params, block, names):
    by_name = dict(zip(names, block))
    state = {}
    for layer, specs in owners:
        owned = specs[0][2]
        current = layer.get_weights()
        wanted = [by_name[name] if spec.trainable else value
                  for (name, spec, _), value in zip(specs, current)]
        with _Swapped(owned, [p.detach() for p in owned]):
            layer.set_weights(wanted)
            for p in owned:
                state[id(p)] = p.detach().cpu().numpy().copy()
    return [state[id(p)] for p in params]
