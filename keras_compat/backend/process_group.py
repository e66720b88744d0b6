"""Which process of a data-parallel run this is, and batch statistics over the global batch.

The lowest-level part of data-parallel training (the rest lives in
``keras_compat.training.distributed``): layers need the global batch's moments (synchronised
``BatchNormalization``) and the progress bar and ``summary()`` need to know whether they are
on rank 0, and neither may import the training package.

A run is data-parallel when ``torchrun`` (or ``python -m keras_compat --nproc-per-node N``)
started it: ``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR`` and ``MASTER_PORT`` are set and
``WORLD_SIZE`` is above 1.  The process group itself is created by the training package.
"""
import os

import torch

_LAUNCH_VARIABLES = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")

# Set by the sharded training/test step around each rank's share of a batch:
# ``sharded``: batch statistics must cover every rank's rows; ``padding``: this rank's share of
# the batch is empty and it runs one borrowed row that must count for nothing; ``weight``: this
# rank's share of the batch's rows, by which the gradient hook scales its gradients.
_step = {"sharded": False, "padding": False, "weight": 1.0}


def launched():
    """Whether this process is one of several started by torchrun (the environment says so)."""
    if not all(name in os.environ for name in _LAUNCH_VARIABLES):
        return False
    try:
        return int(os.environ["WORLD_SIZE"]) > 1
    except ValueError:
        raise ValueError("WORLD_SIZE must be an integer, not %r" % os.environ["WORLD_SIZE"]) from None


def rank():
    """This process's rank (0 when not launched data-parallel)."""
    return int(os.environ["RANK"]) if launched() else 0


def world_size():
    return int(os.environ["WORLD_SIZE"]) if launched() else 1


def local_rank():
    """The rank on this node, which picks the CUDA device (``LOCAL_RANK`` from torchrun)."""
    return int(os.environ.get("LOCAL_RANK", "0")) if launched() else 0


def is_main():
    """Whether this process prints and writes files: rank 0, or the only process."""
    return rank() == 0


def begin_sharded_step(padding, weight):
    _step.update(sharded=True, padding=bool(padding), weight=float(weight))


def end_sharded_step():
    _step.update(sharded=False, padding=False, weight=1.0)


def step_weight():
    """This rank's share of the current batch's rows (1.0 outside a sharded step)."""
    return _step["weight"]


def in_sharded_step():
    return _step["sharded"] and torch.distributed.is_available() \
        and torch.distributed.is_initialized()


def global_mean(x):
    """``x.mean()`` over every rank's rows of the batch, for constants (masks, sample weights):
    no gradient flows through it.  Outside a sharded step it is ``x.mean()``."""
    if not in_sharded_step():
        return x.mean()
    keep = 0. if _step["padding"] else 1.
    total = torch.stack([x.detach().sum().to(torch.float64) * keep,
                         torch.tensor(float(x.numel()) * keep, dtype=torch.float64,
                                      device=x.device)])
    torch.distributed.all_reduce(total)
    return (total[0] / total[1]).to(x.dtype)


def global_var_mean(x, dims):
    """``torch.var_mean(x, dims, unbiased=False)`` over the rows of every rank.

    Outside a sharded step it is exactly that call.  Inside one, the sums are all-reduced with
    the autograd-aware collective, so gradients also flow to the other ranks' rows as they do
    through one process's batch statistics; two passes (mean, then the centred squares) keep
    the variance as accurate as the one-process computation.  A padding rank counts nothing.
    """
    if not in_sharded_step():
        return torch.var_mean(x, dim=dims, unbiased=False)
    all_reduce = _StatisticsAllReduce.apply
    keep = 0. if _step["padding"] else 1.
    count = 1
    for d in dims:
        count *= x.shape[d]
    local = torch.cat([x.sum(dim=dims).reshape(-1) * keep,
                       x.new_full((1,), float(count) * keep)])
    total = all_reduce(local)
    rows = total[-1]
    mean = total[:-1] / rows
    shape = [1] * x.dim()
    for d in range(x.dim()):
        if d not in dims:
            shape[d] = x.shape[d]
    centred = x - mean.reshape(shape)
    var = all_reduce((centred * centred).sum(dim=dims).reshape(-1) * keep) / rows
    return var.reshape(mean.shape), mean


class _StatisticsAllReduce(torch.autograd.Function):
    """Sum over ranks, whose backward hands each rank the gradient it needs under the
    shard-weighted gradient hook of ``keras_compat.training.distributed``.

    That hook multiplies every gradient of rank r by its share w_r before summing.  The sum's
    gradient reaching rank r must therefore be (sum over ranks r' of w_r' * g_r') / w_r: each
    rank's loss weighted by its own share, the hook's later factor w_r divided out.  (The
    plain collective's backward, the unweighted sum, would weigh every rank's loss by w_r.)
    A padding rank (w_r = 0) feeds nothing into the statistics, so its gradient is zero.
    """

    @staticmethod
    def forward(ctx, tensor):
        ctx.weight = _step["weight"]
        total = tensor.clone()
        torch.distributed.all_reduce(total)
        return total

    @staticmethod
    def backward(ctx, grad):
        weight = ctx.weight
        total = grad * weight
        torch.distributed.all_reduce(total)
        return total / weight if weight > 0 else torch.zeros_like(grad)
