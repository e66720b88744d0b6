"""Connectionist temporal classification: ``K.ctc_batch_cost``, ``K.ctc_decode`` and the
helpers both Keras-1 backends exposed.

Predictions are softmax outputs ``(batch, time, classes)`` whose LAST class is the blank.
The two backends computed different costs and ``ctc_batch_cost`` follows the emulated one:

* TensorFlow: ``-log P(label)`` with ``log(y_pred + 1e-8)``, shape ``(batch, 1)``;
* Theano (``ctc_cost`` below, ported step for step): every class probability smoothed to
  ``(1 - 1e-4) p + 1e-4 / (2 L + 1)`` (``L`` the label length) and the forward-backward
  products summed over all time steps, about ``-log(T * P_smoothed(label))`` (``T`` the input
  length), shape ``(1, batch)``.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

from keras_compat.backend import config
from keras_compat.backend.symbolic import symbolic_aware

# Keras 1's TensorFlow backend added this before taking logs of the predictions.
_LOG_OFFSET = 1e-8


def _tensor(x, dtype=None):
    if isinstance(x, torch.Tensor):
        return x if dtype is None else x.to(dtype)
    return torch.as_tensor(np.asarray(x), dtype=dtype)


def _lengths(x, function, argument):
    lengths = _tensor(x).reshape(-1).long()
    if (lengths < 0).any():
        raise ValueError("K.%s: %s must not be negative, got %s"
                         % (function, argument, lengths.tolist()))
    return lengths


@symbolic_aware
def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """CTC cost of each sample (see the module notes for each backend's formula and shape)."""
    y_pred = _tensor(y_pred)
    if y_pred.dim() != 3:
        raise ValueError("K.ctc_batch_cost: y_pred must be (samples, timesteps, classes), got "
                         "shape %s" % (tuple(y_pred.shape),))
    y_true = _tensor(y_true).long()
    input_length = _lengths(input_length, "ctc_batch_cost", "input_length")
    label_length = _lengths(label_length, "ctc_batch_cost", "label_length")
    blank = y_pred.shape[-1] - 1
    if config.backend() == "theano":
        costs = [ctc_cost(y_pred[i, :int(input_length[i])], y_true[i, :int(label_length[i])])
                 for i in range(y_pred.shape[0])]
        return torch.stack(costs).unsqueeze(0)
    log_probs = torch.log(y_pred + _LOG_OFFSET).permute(1, 0, 2)
    targets = torch.where(y_true < 0, torch.zeros_like(y_true), y_true)
    loss = F.ctc_loss(log_probs, targets, input_length, label_length, blank=blank,
                      reduction="none")
    return loss.unsqueeze(1)


def ctc_label_dense_to_sparse(labels, label_lengths):
    """A sparse ``(batch, max_label_length)`` integer tensor keeping ``labels[i, :length_i]``."""
    labels = _tensor(labels).long()
    lengths = _lengths(label_lengths, "ctc_label_dense_to_sparse", "label_lengths")
    if labels.dim() != 2:
        raise ValueError("K.ctc_label_dense_to_sparse: labels must be 2-D, got shape %s"
                         % (tuple(labels.shape),))
    keep = torch.arange(labels.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)
    indices = keep.nonzero().t()
    return torch.sparse_coo_tensor(indices, labels[keep], tuple(labels.shape))


def _dense(paths, batch):
    """Decoded label lists as a dense ``(batch, longest)`` int64 tensor padded with -1."""
    width = max([len(p) for p in paths] + [0])
    out = torch.full((batch, width), -1, dtype=torch.int64)
    for i, path in enumerate(paths):
        if path:
            out[i, :len(path)] = torch.as_tensor(path, dtype=torch.int64)
    return out


def _greedy(log_probs, lengths, blank):
    paths, scores = [], []
    for i in range(log_probs.shape[0]):
        n = int(lengths[i])
        best, classes = log_probs[i, :n].max(dim=-1)
        path, previous = [], None
        for c in classes.tolist():
            if c != blank and c != previous:
                path.append(c)
            previous = c
        paths.append(path)
        scores.append(-float(best.sum()))
    return [_dense(paths, log_probs.shape[0])], torch.tensor(scores).unsqueeze(1)


def _logsumexp(*values):
    top = max(values)
    if top == -math.inf:
        return -math.inf
    return top + math.log(sum(math.exp(v - top) for v in values))


def _merge_repeated(path):
    """TensorFlow's beam decoder (``merge_repeated=True``, Keras 1's call) also merged equal
    neighbours of the chosen prefix: ``(0, 0)`` came out as ``[0]``."""
    merged = []
    for c in path:
        if not merged or merged[-1] != c:
            merged.append(c)
    return merged


def _beam_search(log_probs, lengths, blank, beam_width, top_paths):
    """Prefix beam search: each beam a label prefix with its probability of ending in a blank
    and in a label; the ``beam_width`` most probable prefixes survive each step."""
    decoded = [[] for _ in range(top_paths)]
    scores = []
    for i in range(log_probs.shape[0]):
        # TensorFlow's decoder scored each step relative to its best class (log p - max log
        # p), so a beam's log probability is offset by minus the summed per-step maxima.
        rows = torch.log_softmax(log_probs[i, :int(lengths[i])].double(), dim=-1)
        offset = -float(rows.max(dim=-1).values.sum())
        steps = rows.tolist()
        beams = {(): (0.0, -math.inf)}
        for row in steps:
            following = {}

            def add(prefix, blank_part, label_part):
                old_b, old_l = following.get(prefix, (-math.inf, -math.inf))
                following[prefix] = (_logsumexp(old_b, blank_part), _logsumexp(old_l, label_part))

            for prefix, (p_b, p_l) in beams.items():
                total = _logsumexp(p_b, p_l)
                add(prefix, total + row[blank], -math.inf)
                for c, lp in enumerate(row):
                    if c == blank:
                        continue
                    if prefix and prefix[-1] == c:
                        add(prefix, -math.inf, p_l + lp)
                        add(prefix + (c,), -math.inf, p_b + lp)
                    else:
                        add(prefix + (c,), -math.inf, total + lp)
            ranked = sorted(following.items(), key=lambda kv: -_logsumexp(*kv[1]))
            beams = dict(ranked[:beam_width])
        ranked = sorted(beams.items(), key=lambda kv: -_logsumexp(*kv[1]))[:top_paths]
        for k in range(top_paths):
            decoded[k].append(_merge_repeated(ranked[k][0]) if k < len(ranked) else [])
        scores.append([_logsumexp(*ranked[k][1]) + offset if k < len(ranked) else -math.inf
                       for k in range(top_paths)])
    batch = log_probs.shape[0]
    return [_dense(paths, batch) for paths in decoded], torch.tensor(scores, dtype=torch.float32)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """Decode softmax outputs ``(batch, time, classes)`` (last class blank).

    Returns ``(decoded, log_prob)`` as Keras 1's TensorFlow backend: ``decoded`` a list of
    ``top_paths`` dense int tensors ``(batch, longest)`` padded with -1; ``log_prob`` the
    greedy path's negative summed log probability ``(batch, 1)``, or each beam's log
    probability relative to the per-step best classes ``(batch, top_paths)``.
    """
    y_pred = _tensor(y_pred)
    if y_pred.dim() != 3:
        raise ValueError("K.ctc_decode: y_pred must be (samples, timesteps, classes), got shape "
                         "%s" % (tuple(y_pred.shape),))
    lengths = _lengths(input_length, "ctc_decode", "input_length")
    log_probs = torch.log(y_pred.detach() + _LOG_OFFSET)
    blank = y_pred.shape[-1] - 1
    if greedy:
        return _greedy(log_probs, lengths, blank)
    if not isinstance(top_paths, int) or top_paths < 1 or top_paths > beam_width:
        raise ValueError("K.ctc_decode: top_paths must be between 1 and beam_width (%r), got %r"
                         % (beam_width, top_paths))
    return _beam_search(log_probs, lengths, blank, beam_width, top_paths)


# -- Theano-backend helpers (public in Keras 1.2.2's Theano backend) -----------------------
def ctc_interleave_blanks(Y):  # noqa: N803 (Keras 1's name)
    """``Y`` with a blank (-1) before, between and after its labels: length ``2 len(Y) + 1``."""
    Y = _tensor(Y).long().reshape(-1)  # noqa: N806
    out = torch.full((2 * Y.shape[0] + 1,), -1, dtype=torch.int64)
    out[1::2] = Y
    return out


def ctc_create_skip_idxs(Y):  # noqa: N803
    """Positions ``i`` of an interleaved label sequence from which a path may skip the blank at
    ``i + 1`` (the labels at ``i`` and ``i + 2`` differ)."""
    Y = _tensor(Y).long().reshape(-1)  # noqa: N806
    skip = torch.arange((Y.shape[0] - 3) // 2) * 2 + 1
    return skip[Y[skip] != Y[skip + 2]]


def ctc_update_log_p(skip_idxs, zeros, active, log_p_curr, log_p_prev):
    """One forward step of Theano's CTC recursion over the ``active`` reachable states:
    returns ``(active_next, log_p_next)``."""
    skip_idxs, zeros = _tensor(skip_idxs).long(), _tensor(zeros)
    log_p_curr, log_p_prev = _tensor(log_p_curr), _tensor(log_p_prev)
    active = int(active)
    active_skip = skip_idxs[skip_idxs < active]
    furthest = int(active_skip.max()) if active_skip.numel() else -1
    active_next = min(max(active + 1, furthest + 3), log_p_curr.shape[0])
    common = log_p_prev[:active].max()
    p_prev = torch.exp(log_p_prev[:active] - common)
    summed = zeros[:active_next].clone()
    summed[:active] = p_prev
    shifted = summed.clone()
    shifted[1:] = shifted[1:] + summed[:-1]
    shifted = shifted.index_add(0, active_skip + 2, p_prev[active_skip])
    log_p_next = zeros.clone()
    log_p_next[:active_next] = log_p_curr[:active_next] + torch.log(shifted) + common
    return active_next, log_p_next


def ctc_path_probs(predict, Y, alpha=1e-4):  # noqa: N803
    """Theano's CTC forward-backward over an interleaved label sequence ``Y``: per time step
    and state ``log(alpha_t(s) beta_t(s) / y_t(s))``, and the mask of reachable cells."""
    predict = _tensor(predict)
    Y = _tensor(Y).long()  # noqa: N806
    smoothed = (1 - alpha) * predict[:, Y] + alpha / Y.shape[0]
    L = torch.log(smoothed)  # noqa: N806
    zeros = torch.zeros_like(L[0])
    f_skip, b_skip = ctc_create_skip_idxs(Y), ctc_create_skip_idxs(Y.flip(0))
    f_active, b_active = 1, 1
    log_f, log_b = zeros, zeros
    forward, backward, f_actives, b_actives = [], [], [], []
    reversed_L = L.flip(0).flip(1)  # noqa: N806
    for t in range(L.shape[0]):
        f_active, log_f = ctc_update_log_p(f_skip, zeros, f_active, L[t], log_f)
        b_active, log_b = ctc_update_log_p(b_skip, zeros, b_active, reversed_L[t], log_b)
        forward.append(log_f)
        backward.append(log_b)
        f_actives.append(f_active)
        b_actives.append(b_active)
    log_f_probs, log_b_probs = torch.stack(forward), torch.stack(backward)
    idxs = torch.arange(L.shape[1]).unsqueeze(0)
    mask = (idxs < torch.tensor(f_actives).unsqueeze(1)) & \
        (idxs < torch.tensor(b_actives).unsqueeze(1)).flip(0).flip(1)
    return log_f_probs + log_b_probs.flip(0).flip(1) - L, mask


def ctc_cost(predict, Y):  # noqa: N803
    """Theano's per-sequence CTC cost ``-log sum`` over the reachable forward-backward cells."""
    log_probs, mask = ctc_path_probs(predict, ctc_interleave_blanks(Y))
    common = log_probs.max()
    return -(torch.log(torch.exp(log_probs - common)[mask].sum()) + common)
