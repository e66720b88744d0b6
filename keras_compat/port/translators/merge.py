"""Merge / merge(): sum, mul, ave, max, concat, dot and cos of the named inputs."""
import string

from keras_compat.backend import config as backend_config
from keras_compat.layers import Merge
from keras_compat.port.registry import translates


def _batch_dot_equation(shape1, shape2, axes):
    """An einsum equation contracting ``axes`` per sample, as Keras 1's ``batch_dot``."""
    letters = iter(string.ascii_lowercase[1:])
    ax, ay = axes[0] % len(shape1), axes[1] % len(shape2)
    left = ["a"] + [next(letters) for _ in shape1[1:]]
    right = ["a"] + [next(letters) for _ in shape2[1:]]
    right[ay] = left[ax]
    out = ["a"] + [d for k, d in enumerate(left) if k not in (0, ax)] + \
        [d for k, d in enumerate(right) if k not in (0, ay)]
    return "%s,%s->%s" % ("".join(left), "".join(right), "".join(out)), len(out) == 1


def _combined_mask(call, mode):
    masks = [m for m in call.input_masks if m is not None]
    if not masks:
        return []
    axis = call.layer.concat_axis
    ndim = len(call.input_shape[0])
    if mode in ("sum", "mul", "ave", "max") or (mode == "concat" and axis % ndim == ndim - 1):
        call.out_mask = call.mask_name
        return ["%s = %s" % (call.mask_name, " & ".join(masks))]
    if mode == "concat" and axis % ndim == 1 and all(m is not None for m in call.input_masks):
        call.out_mask = call.mask_name
        return ["%s = torch.cat([%s], dim=1)" % (call.mask_name, ", ".join(masks))]
    call.fail("merges masked inputs with mode=%r along axis %r; only masks of element-wise "
              "merges and of concatenations along features or time are ported"
              % (mode, axis))


@translates(Merge)
def merge(call):
    layer = call.layer
    mode = layer.mode
    if callable(mode):
        call.fail("merges with a Python function (mode=%s); write that step by hand in the "
                  "generated forward()" % getattr(mode, "__name__", mode))
    names = call.inputs
    lines = _combined_mask(call, mode)
    if mode in ("sum", "ave"):
        total = " + ".join(names)
        lines.append("x = (%s) / %d" % (total, len(names)) if mode == "ave" else "x = " + total)
    elif mode == "mul":
        lines.append("x = " + " * ".join(names))
    elif mode == "max":
        expr = names[0]
        for name in names[1:]:
            expr = "torch.maximum(%s, %s)" % (expr, name)
        lines.append("x = " + expr)
    elif mode == "concat":
        lines.append("x = torch.cat([%s], dim=%d)" % (", ".join(names), layer.concat_axis))
    else:
        shape1, shape2 = call.input_shape
        axes = layer.dot_axes_for(shape1, shape2)
        equation, scalar = _batch_dot_equation(shape1, shape2, axes)
        a, b = names
        dot = lambda p, q: "torch.einsum(%r, %s, %s)" % (equation, p, q)  # noqa: E731
        if mode == "dot":
            lines.append("x = %s%s" % (dot(a, b), ".unsqueeze(1)" if scalar else ""))
        else:
            # Keras 1 contracts each input with itself over the same ``axes`` pair
            eq_aa, _ = _batch_dot_equation(shape1, shape1, axes)
            eq_bb, _ = _batch_dot_equation(shape2, shape2, axes)
            lines += [
                "norms = torch.einsum(%r, %s, %s) * torch.einsum(%r, %s, %s)"
                % (eq_aa, a, a, eq_bb, b, b),
                "x = %s / torch.clamp(torch.sqrt(norms), min=%r)"
                % (dot(a, b), float(backend_config.epsilon())),
                # Keras 1's cos merge returns (batch, 1, 1) for vectors: kept for fidelity
                "x = x.unsqueeze(1)%s" % (".unsqueeze(1)" if scalar else "")]
    return lines
