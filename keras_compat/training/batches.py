"""Where ``fit``/``evaluate``/``predict`` take their batches from: device memory or host memory.

In memory: every array is copied to the device once per call and a batch is a slice (a
gather through the epoch's order, when shuffled) of the device tensors.  The fastest way
when the data fits on the device.

Streaming: the arrays stay in host memory and each batch is gathered there and copied on
its own, so a data set larger than the device's memory still trains.  On CUDA, batch k+1
is gathered into a pinned staging buffer and copied on a side stream while the device runs
the step on batch k.  Batch-sized pinned staging buffers (two per array, used in turn)
rather than a pinned copy of the whole data: a shuffled batch is a gather, which needs a
copy anyway, and page-locking a data set the size of the device's memory would take that
much non-swappable host memory again.  On CPU a streaming source gathers each batch from
the host arrays when it is needed (there is no other memory to copy to).

Both kinds give the same batches in the same order (``epoch_order`` decides it, as
before), so results are equal.  Which one runs: ``set_streaming()`` or the environment
variable ``KERAS_COMPAT_STREAMING`` (``auto``, ``always``, ``never``); ``auto`` streams on
CUDA when the arrays take more than ``AUTO_STREAM_FRACTION`` of the device's free memory,
and never on CPU.
"""
import os

import numpy as np
import torch

MODES = ("auto", "always", "never")
ENVIRONMENT_VARIABLE = "KERAS_COMPAT_STREAMING"
# Half of the free memory: the rest is needed for activations, gradients and optimizer
# state, which grow with the model and the batch, not with the data set.
AUTO_STREAM_FRACTION = 0.5

_override = None


def set_streaming(mode):
    """Choose how fit/evaluate/predict feed batches: ``'auto'``, ``'always'`` (stream from
    host memory) or ``'never'`` (copy the arrays to the device once); ``None`` goes back to
    ``KERAS_COMPAT_STREAMING``, then ``'auto'``."""
    global _override
    _override = None if mode is None else _checked(mode, "set_streaming()")


def streaming_mode():
    """The mode in force: ``set_streaming()``'s, else the environment's, else ``'auto'``."""
    if _override is not None:
        return _override
    return _checked(os.environ.get(ENVIRONMENT_VARIABLE, "").strip() or "auto",
                    ENVIRONMENT_VARIABLE)


def _checked(mode, where):
    if mode not in MODES:
        raise ValueError("%s: streaming mode must be one of %s, got %r"
                         % (where, ", ".join(MODES), mode))
    return mode


# -- host tensors ----------------------------------------------------------------------------
def host_tensor(array, dtype=None):
    """A CPU tensor over ``array`` (no copy when it is already contiguous and of the right
    type); float64 becomes float32 unless ``dtype`` says otherwise.  A list (``TensorList``)
    is converted member by member and keeps its type; None stays None."""
    if array is None:
        return None
    if isinstance(array, list):
        return type(array)(host_tensor(member, dtype) for member in array)
    tensor = array if isinstance(array, torch.Tensor) else torch.from_numpy(
        np.ascontiguousarray(array))
    if dtype is not None:
        return tensor.to(dtype)
    return tensor.float() if tensor.dtype == torch.float64 else tensor


def _map(value, fn):
    """``fn`` applied to a tensor, or to each member of a list (the list type kept)."""
    if value is None:
        return None
    if isinstance(value, list):
        return type(value)(None if member is None else fn(member) for member in value)
    return fn(value)


def _leaves(value):
    if value is None:
        return []
    if isinstance(value, list):
        return [member for member in value if member is not None]
    return [value]


def _nbytes(tensors):
    return sum(t.numel() * t.element_size() for value in tensors for t in _leaves(value))


# -- choosing ----------------------------------------------------------------------------------
def should_stream(device, tensors, mode=None):
    """Whether ``tensors`` (host tensors, lists of them, or None) are to be streamed."""
    mode = streaming_mode() if mode is None else _checked(mode, "should_stream()")
    if mode != "auto":
        return mode == "always"
    if device.type != "cuda":
        return False
    free, _ = torch.cuda.mem_get_info(device)
    return _nbytes(tensors) > AUTO_STREAM_FRACTION * free


def source_for(device, tensors, mode=None):
    """A batch source over ``tensors`` (host tensors as ``host_tensor`` makes them)."""
    device = torch.device(device)
    if should_stream(device, tensors, mode):
        return StreamingBatches(device, tensors)
    return InMemoryBatches(device, tensors)


def _rows(tensor, index, start, end):
    if index is None:
        return tensor[start:end]
    return tensor.index_select(0, index[start:end])


class InMemoryBatches:
    """All arrays on the device at once; a batch is a slice or gather of them."""

    streaming = False

    def __init__(self, device, tensors):
        self.device = device
        self.tensors = [_map(t, lambda m: m.to(device, non_blocking=True)) for t in tensors]
        self.n = len(_leaves(tensors[0])[0])

    def epoch(self, ranges, order=None):
        """The batches of ``ranges`` (``(start, end)`` pairs) in ``order`` (None: as stored),
        each a list with one entry per tensor."""
        # Gathered batch by batch, as Keras 1 sliced its arrays: a shuffled copy of the
        # whole data set per epoch would write and re-read every sample once more.
        index = None if order is None else torch.from_numpy(order).to(self.device)
        for start, end in ranges:
            yield [_map(t, lambda m: _rows(m, index, start, end)) for t in self.tensors]


class StreamingBatches:
    """The arrays stay in host memory; each batch is gathered there and copied on its own,
    the next one while the current one is being used (on CUDA)."""

    streaming = True

    def __init__(self, device, tensors):
        self.device = device
        self.tensors = list(tensors)
        self.n = len(_leaves(tensors[0])[0])
        self._cuda = device.type == "cuda"
        if self._cuda:
            self._copy_stream = torch.cuda.Stream(device)
            self._staging = {}            # (slot, id(host tensor)) -> pinned buffer
            self._slot_done = [None, None]  # the event of the last copy out of each slot

    def epoch(self, ranges, order=None):
        """As ``InMemoryBatches.epoch``; batch k+1 is prepared before batch k is handed out."""
        if not ranges:
            return
        index = None if order is None else torch.from_numpy(order)
        rows = max(end - start for start, end in ranges)
        pending = self._prepare(index, ranges[0], 0, rows)
        for k, batch_range in enumerate(ranges[1:], start=1):
            upcoming = self._prepare(index, batch_range, k % 2, rows)
            yield self._ready(pending)
            pending = upcoming
        yield self._ready(pending)

    def _prepare(self, index, batch_range, slot, rows):
        start, end = batch_range
        if not self._cuda:
            return [_map(t, lambda m: _rows(m, index, start, end)) for t in self.tensors], None
        done = self._slot_done[slot]
        if done is not None:
            done.synchronize()  # the copy of two batches ago has left this slot's buffers
        batch = [_map(t, lambda m: self._copy_to_device(m, index, start, end, slot, rows))
                 for t in self.tensors]
        event = torch.cuda.Event()
        event.record(self._copy_stream)
        self._slot_done[slot] = event
        return batch, event

    def _copy_to_device(self, host, index, start, end, slot, rows):
        key = (slot, id(host))
        buffer = self._staging.get(key)
        if buffer is None or buffer.shape[0] < rows:
            buffer = torch.empty((rows,) + tuple(host.shape[1:]), dtype=host.dtype,
                                 pin_memory=True)
            self._staging[key] = buffer
        staged = buffer[:end - start]
        if index is None:
            staged.copy_(host[start:end])
        else:
            torch.index_select(host, 0, index[start:end], out=staged)
        with torch.cuda.stream(self._copy_stream):
            return staged.to(self.device, non_blocking=True)

    def _ready(self, prepared):
        batch, event = prepared
        if event is not None:
            stream = torch.cuda.current_stream(self.device)
            stream.wait_event(event)
            for value in batch:
                for tensor in _leaves(value):
                    # Allocated on the copy stream, used on this one: the allocator must
                    # not hand the memory out again before this stream is done with it.
                    tensor.record_stream(stream)
        return batch


# -- prediction output -------------------------------------------------------------------------
class PredictionArrays:
    """``predict``'s outputs: one float32 array per model output, allocated once the first
    batch tells the output shapes, each batch's output written into its rows.

    On CPU the arrays are NumPy arrays written in place; on CUDA they live on the device (one
    copy to the host at the end), or in pinned host memory when the inputs are streamed
    (each batch copied out as it is done: the outputs may not fit on the device either).
    A single batch covering every sample is kept as it is (``predict_on_batch``): no copy.
    """

    def __init__(self, n, device, streaming=False):
        self.n = n
        self.device = torch.device(device)
        self.streaming = streaming
        self._stores = None
        self._arrays = None
        self._whole = None

    def write(self, start, end, outputs):
        if self._stores is None and self._whole is None and (start, end) == (0, self.n):
            self._whole = [output.float() for output in outputs]
            return
        if self._stores is None:
            self._allocate(outputs)
        if len(outputs) != len(self._stores):
            raise ValueError("predict(): the model returned %d outputs for samples %d:%d but %d "
                             "for the first batch" % (len(outputs), start, end, len(self._stores)))
        for k, (store, output) in enumerate(zip(self._stores, outputs)):
            if tuple(output.shape[1:]) != tuple(store.shape[1:]):
                raise ValueError("predict(): output %d has shape %s for samples %d:%d but %s for "
                                 "the first batch; every batch must give the same output shape"
                                 % (k, tuple(output.shape), start, end,
                                    (output.shape[0],) + tuple(store.shape[1:])))
            store[start:end].copy_(output, non_blocking=True)

    def _allocate(self, outputs):
        shapes = [(self.n,) + tuple(output.shape[1:]) for output in outputs]
        if self.device.type == "cpu":
            self._arrays = [np.empty(shape, dtype=np.float32) for shape in shapes]
            self._stores = [torch.from_numpy(array) for array in self._arrays]
        elif self.streaming:
            self._stores = [torch.empty(shape, dtype=torch.float32, pin_memory=True)
                            for shape in shapes]
        else:
            self._stores = [torch.empty(shape, dtype=torch.float32, device=self.device)
                            for shape in shapes]

    def arrays(self):
        """The filled float32 NumPy arrays (a list, one per output)."""
        if self._whole is not None:
            # ``.contiguous()``: a convolution may leave its output channels-last in memory.
            return [output.cpu().contiguous().numpy() for output in self._whole]
        if self._stores is None:
            raise ValueError("predict() was given no samples")
        if self._arrays is not None:
            return self._arrays
        if self.streaming:
            torch.cuda.current_stream(self.device).synchronize()
            return [store.numpy() for store in self._stores]
        return [store.cpu().numpy() for store in self._stores]
