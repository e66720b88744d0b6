"""Shape helpers shared by the spatial translators: known sizes, padding lists, permutes."""


def spatial_size(call, nd, channels_last):
    """The ``nd`` spatial input sizes; the port needs them fixed to write explicit padding."""
    shape = call.input_shape
    spatial = shape[1:1 + nd] if channels_last else shape[2:2 + nd]
    if any(s is None for s in spatial):
        call.fail("has an unknown spatial input size %s; give the model a fixed input_shape"
                  % (tuple(shape),))
    return [int(s) for s in spatial]


def pad_argument(pads):
    """``F.pad``'s flat list (last dimension first) from per-dimension ``(before, after)``."""
    flat = []
    for before, after in reversed(pads):
        flat.extend((int(before), int(after)))
    return flat


def to_channels_first(nd):
    return "x = x.permute(0, %d, %s)" % (nd + 1, ", ".join(str(i) for i in range(1, nd + 1)))


def to_channels_last(nd):
    return "x = x.permute(0, %s, 1)" % ", ".join(str(i) for i in range(2, nd + 2))
