"""Data-parallel ``fit``/``evaluate``/``predict`` over ``torch.distributed``, for unmodified scripts.

``torchrun --nproc-per-node N -m keras_compat script.py`` (or ``python -m keras_compat
--nproc-per-node N script.py``) starts N copies of the script; each loads the same data and
builds the same model.  When the launch environment is present, the first compiled model or
prediction creates the process group (Gloo on CPU, NCCL on CUDA with ``cuda:LOCAL_RANK``) and:

* ``batch_size`` stays the global batch: every batch a one-process run would take (same
  permutation: rank 0's order is broadcast each epoch) is cut into contiguous shares, one per
  rank, sizes differing by at most one row;
* gradients are summed by ``DistributedDataParallel`` through a communication hook that weighs
  each rank's gradient by its share of the batch (``rows / batch rows``).  DDP's own hook
  averages with equal weights, which is right only when the batch splits evenly; weighted,
  the update equals the one-process update also for the short last batch.  A rank whose
  share is empty (a last batch with fewer rows than ranks) runs one borrowed row with weight
  zero, so that every rank joins every collective;
* the loss and metrics of a batch are the weighted sum of the ranks' values (one all-reduce),
  so History, EarlyStopping and ReduceLROnPlateau see the same numbers on every rank;
* ``BatchNormalization`` takes its batch statistics over the global batch
  (``backend.process_group.global_var_mean``);
* ``predict`` splits the rows into contiguous blocks and gathers them back in order;
* printing callbacks and file writers run on rank 0 only; ``model.save``/``save_weights``
  write on rank 0 while the other ranks wait for the file (``on_rank_zero``).
"""
import atexit
import contextlib
import gc
import os
import weakref

import torch
import torch.distributed as dist

from keras_compat.backend import process_group
from keras_compat.training.callbacks import (CallbackList, CSVLogger, ProgbarLogger,
                                             RemoteMonitor, TensorBoard)

# Callbacks whose whole job is output (a bar, a file, a server): rank 0 runs them alone.
RANK_ZERO_CALLBACKS = (ProgbarLogger, CSVLogger, TensorBoard, RemoteMonitor)


def active():
    """Whether this process trains data-parallel; creates the process group on first use."""
    if not process_group.launched():
        return False
    if not dist.is_available():
        raise RuntimeError("This run was launched data-parallel (WORLD_SIZE=%s) but this build of "
                           "torch has no torch.distributed" % os.environ.get("WORLD_SIZE"))
    if not dist.is_initialized():
        from keras_compat.backend import device as device_module

        device = device_module.resolve()
        if device.type == "cuda":
            torch.cuda.set_device(device)
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
        atexit.register(_close)
    return dist.get_world_size() > 1


# Trainers whose model this process wrapped in DistributedDataParallel (see _close).
_WRAPPED_TRAINERS = weakref.WeakSet()


def _close():
    """At exit, while the interpreter is whole: drop the DDP wrappers, then the process group.

    A wrapper's reducer holds the process group and the communication hook (a Python
    function).  Left to interpreter finalization (the script's globals keep the model, and so
    the wrapper, alive until then), Gloo's worker threads release the hook's Python objects
    after Python is gone, and the process aborts ("terminate called without an active
    exception") although the script succeeded.
    """
    for trainer in list(_WRAPPED_TRAINERS):
        trainer.forward_module = trainer.model
    _WRAPPED_TRAINERS.clear()
    gc.collect()
    if dist.is_initialized():
        dist.destroy_process_group()


def is_main():
    return process_group.is_main()


def shard_bounds(rows, rank, world):
    """Rows ``[start, end)`` of a batch of ``rows`` that ``rank`` of ``world`` trains on:
    contiguous shares, the first ``rows % world`` ranks one row more."""
    base, extra = divmod(rows, world)
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


def _collective_device():
    """Where collective buffers live: the current GPU for NCCL, the CPU for Gloo."""
    if dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def _weighted_allreduce(state, bucket):
    """DDP communication hook: sum of the ranks' gradients, each weighted by its batch share."""
    tensor = bucket.buffer()
    tensor.mul_(process_group.step_weight())
    future = dist.all_reduce(tensor, async_op=True).get_future()
    return future.then(lambda done: done.value()[0])


def _rows(data, start, end):
    return None if data is None else data[start:end]


@contextlib.contextmanager
def _rank_random_stream(device):
    """Random draws (Dropout masks, noise) of this rank's own for one training step.

    Every rank runs with the same seed (the runner's --seed, or the script's), so without this
    each rank would draw the same mask pattern for its rows.  The step's seed is drawn from
    the global generator, which advances alike on every rank (so later draws, such as a new
    model's initial weights, stay equal); the rank is added to it inside a forked stream.
    """
    seed = int(torch.randint(0, 2 ** 62, (1,)).item())
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
        torch.manual_seed(seed + dist.get_rank())
        yield


class _ShardedStep:
    """A trainer step (train or test) over this rank's rows of a global batch; returns the
    global batch's values (the ranks' values weighted by their shares, all-reduced)."""

    def __init__(self, step, device, random_per_rank=False):
        self.step = step
        self.device = device
        self.random_per_rank = random_per_rank

    def __call__(self, x, y, weights):
        rows = x.shape[0]
        if rows == 0:
            return self.step(x, y, weights)
        start, end = shard_bounds(rows, dist.get_rank(), dist.get_world_size())
        own = end - start
        if own == 0:
            start, end = 0, 1  # borrowed row, weight zero: this rank still joins every collective
        process_group.begin_sharded_step(padding=own == 0, weight=own / rows)
        randomness = _rank_random_stream(self.device) if self.random_per_rank \
            else contextlib.nullcontext()
        try:
            with randomness:
                outs = self.step(_rows(x, start, end), _rows(y, start, end),
                                 _rows(weights, start, end))
        finally:
            process_group.end_sharded_step()
        return _weighted_sum(outs, own / rows, self.device)


def _weighted_sum(values, weight, device):
    stacked = torch.stack([torch.as_tensor(v).detach().reshape(()).to(device, torch.float64)
                           for v in values]) * weight
    if stacked.device != _collective_device():
        gathered = stacked.to(_collective_device())
        dist.all_reduce(gathered)
        stacked = gathered.to(device)
    else:
        dist.all_reduce(stacked)
    return list(stacked.to(torch.float32).unbind())


def attach(trainer):
    """Make ``trainer`` data-parallel when the run was launched so (called by ``Trainer``).

    Wraps the model in ``DistributedDataParallel`` (its construction broadcasts rank 0's
    weights, so every rank starts from the same model) and replaces the trainer's steps by
    sharded ones.  Stateful layers carry state from one batch's rows to the next batch's same
    rows, which a split batch cannot keep: such a model is refused.
    """
    if not active():
        return
    model = trainer.model
    if getattr(model, "stateful", False):
        raise ValueError("Model %s has stateful layers, which cannot train data-parallel (each "
                         "rank would carry the state of other rows); run it in one process"
                         % getattr(model, "name", type(model).__name__))
    if trainer._has_parameters:
        from torch.nn.parallel import DistributedDataParallel

        trained = {id(p) for p in trainer.parameters}
        frozen = [name for name, p in model.named_parameters() if id(p) not in trained]
        DistributedDataParallel._set_params_and_buffers_to_ignore_for_model(model, frozen)
        wrapped = DistributedDataParallel(model, device_ids=None, **_no_buffer_broadcast())
        wrapped.register_comm_hook(None, _weighted_allreduce)
        trainer.forward_module = wrapped
        _WRAPPED_TRAINERS.add(trainer)
    trainer.train_step = _ShardedStep(trainer.train_step, trainer.device,
                                      random_per_rank=getattr(model, "uses_learning_phase", True))
    trainer.test_step = _ShardedStep(trainer.test_step, trainer.device)


def _no_buffer_broadcast():
    """DDP's option that stops it broadcasting rank 0's buffers before every forward: the
    ranks' buffers (BatchNormalization's running statistics, fed the same global moments)
    stay equal by themselves.  Newer torch renamed it and warns about the old name."""
    import inspect

    from torch.nn.parallel import DistributedDataParallel

    if "forward_sync_buffers" in inspect.signature(DistributedDataParallel.__init__).parameters:
        return {"forward_sync_buffers": False}
    return {"broadcast_buffers": False}


def shared_order(order):
    """Rank 0's epoch order on every rank (None, keep the data's order, stays None)."""
    if order is None or not active():
        return order
    tensor = torch.from_numpy(order).to(_collective_device())
    dist.broadcast(tensor, 0)
    return tensor.cpu().numpy()


def predict_share(tensors):
    """This rank's contiguous block of rows of each input tensor, and the function that
    gathers the output arrays' blocks back, in order, on every rank.  Fewer rows than ranks: every
    rank predicts them all."""
    rows = tensors[0].shape[0]
    if not active() or rows < dist.get_world_size():
        return tensors, lambda outputs: outputs
    world = dist.get_world_size()
    start, end = shard_bounds(rows, dist.get_rank(), world)
    sizes = [shard_bounds(rows, r, world) for r in range(world)]
    sizes = [e - s for s, e in sizes]

    def gather(outputs):
        # ``outputs``: this rank's float32 NumPy arrays, one per model output.
        return [_gather_rows(torch.from_numpy(out), sizes).numpy() for out in outputs]
    return [t[start:end] for t in tensors], gather


def _gather_rows(block, sizes):
    most = max(sizes)
    device = block.device
    padded = block.new_zeros((most,) + tuple(block.shape[1:])).to(_collective_device())
    padded[:block.shape[0]] = block
    pieces = [torch.empty_like(padded) for _ in sizes]
    dist.all_gather(pieces, padded)
    return torch.cat([piece[:size] for piece, size in zip(pieces, sizes)]).to(device)


class _Discard:
    """A stdout that keeps nothing (cheaper than opening os.devnull around every batch hook)."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


class _MainCallbackList(CallbackList):
    """Rank 0 of a data-parallel run: every callback; when training ends, the other ranks
    wait until the files the callbacks wrote (CSVLogger's, TensorBoard's) are closed."""

    def on_train_end(self, logs=None):
        CallbackList.on_train_end(self, logs)
        dist.barrier()


class _QuietCallbackList(CallbackList):
    """Ranks other than 0: the same callbacks minus the output ones, their prints discarded
    (EarlyStopping still stops, ModelCheckpoint still joins rank 0's save)."""

    def _quiet(self, hook, *args):
        with contextlib.redirect_stdout(_Discard()):
            getattr(CallbackList, hook)(self, *args)

    def on_epoch_begin(self, epoch, logs=None):
        self._quiet("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._quiet("on_epoch_end", epoch, logs)

    def on_batch_begin(self, batch, logs=None):
        self._quiet("on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._quiet("on_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._quiet("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._quiet("on_train_end", logs)
        dist.barrier()  # rank 0's callbacks have closed their files


def callback_list(callbacks):
    """The ``CallbackList`` a training loop uses on this rank."""
    if not active():
        return CallbackList(callbacks)
    if process_group.is_main():
        return _MainCallbackList(callbacks)
    return _QuietCallbackList([cb for cb in callbacks if not isinstance(cb, RANK_ZERO_CALLBACKS)])


def on_rank_zero(write, what):
    """``write()`` on rank 0 only, every rank waiting until it is done (a file is complete
    before any rank can read it).  When it fails on rank 0, every rank raises."""
    if not active():
        return write()
    error = None
    if process_group.is_main():
        try:
            write()
        except BaseException as exc:  # re-raised below, after the other ranks are told
            error = exc
    failed = torch.tensor([0 if error is None else 1], device=_collective_device())
    dist.all_reduce(failed)
    if error is not None:
        raise error
    if failed.item():
        raise RuntimeError("%s failed on rank 0 (its error is in rank 0's output)" % what)
    return None
