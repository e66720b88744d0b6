"""``model.summary()`` text, reproducing Keras 1.2.2's ``layer_utils.print_summary``.

This module only formats; the model code collects one row per layer:
``(name_and_type, output_shape_str, param_count, connections)`` where
``name_and_type`` is ``'<layer.name> (<ClassName>)'``, ``output_shape_str`` is
``format_shape(layer output shape)``, ``param_count`` the layer's parameter
count and ``connections`` a list of ``'<inbound_layer>[<node>][<tensor>]'``
strings (empty for an ``InputLayer``).

Keras 1 quirk kept on purpose: each field is cut to its column, and the last
character of the previous column is overwritten with a space before the next
field is appended, so a field that fills its column entirely loses its last
character (``batchnormalization_6 (BatchNorma``).
"""

from keras_compat.backend import process_group

__all__ = ['print_summary', 'format_shape', 'plain_shape', 'summary_lines', 'format_row']

_HEADER = ('Layer (type)', 'Output Shape', 'Param #', 'Connected to')


def _column_stops(line_length, positions):
    positions = list(positions)
    if positions and positions[-1] <= 1:
        return [int(line_length * p) for p in positions]
    return [int(p) for p in positions]


def format_row(fields, stops):
    """One summary row (every row is exactly ``stops[-1]`` characters long)."""
    line = ''
    for i, field in enumerate(fields):
        if i > 0:
            line = line[:-1] + ' '
        line += str(field)
        line = line[:stops[i]]
        line += ' ' * (stops[i] - len(line))
    return line


def summary_lines(rows, trainable_count, non_trainable_count,
                  line_length=100, positions=(.33, .55, .67, 1.)):
    """The summary as a list of lines (without newlines)."""
    stops = _column_stops(line_length, positions)
    lines = ['_' * line_length, format_row(_HEADER, stops), '=' * line_length]
    rows = list(rows)
    for index, row in enumerate(rows):
        name_and_type, output_shape, param_count, connections = row
        connections = list(connections or [])
        first = connections[0] if connections else ''
        lines.append(format_row(
            (name_and_type, output_shape, param_count, first), stops))
        for extra in connections[1:]:
            lines.append(format_row(('', '', '', extra), stops))
        last = index == len(rows) - 1
        lines.append(('=' if last else '_') * line_length)
    total = trainable_count + non_trainable_count
    lines.append('Total params: {:,}'.format(total))
    lines.append('Trainable params: {:,}'.format(trainable_count))
    lines.append('Non-trainable params: {:,}'.format(non_trainable_count))
    lines.append('_' * line_length)
    return lines


def print_summary(rows, trainable_count, non_trainable_count, line_length=100,
                  positions=(.33, .55, .67, 1.), print_fn=print):
    """Prints a Keras-1 style model summary, one ``print_fn`` call per line (on rank 0 only
    when the run is data-parallel)."""
    if not process_group.is_main():
        return
    for line in summary_lines(rows, trainable_count, non_trainable_count,
                              line_length=line_length, positions=positions):
        print_fn(line)


def _dim(d):
    if d is None:
        return None
    try:
        return int(d)
    except (TypeError, ValueError):
        return d


def _is_shape(obj):
    return isinstance(obj, tuple) and all(
        d is None or not isinstance(d, (tuple, list)) for d in obj)


def plain_shape(shape):
    """A shape with plain ``int``/``None`` dimensions (numpy and torch integers converted), so
    that its ``str`` is Keras 1's: a tuple (``torch.Size`` too) stays a tuple, a list of shapes
    a list; anything else is returned unchanged."""
    if isinstance(shape, tuple):
        return tuple(_dim(d) for d in shape)
    if isinstance(shape, list):
        return [plain_shape(s) for s in shape]
    return shape


def format_shape(shape):
    """Keras-1 text for a layer's output shape.

    * a tuple ``(None, 64)`` -> ``'(None, 64)'`` (``str(tuple)``; numpy/torch
      integers are converted to plain ints first);
    * a list of per-node shapes: their common text if they are all equal,
      otherwise ``'multiple'`` (Keras 1 prints ``multiple`` when a shared
      layer has different output shapes at its different call sites); a node
      whose own shape is a list (multi-output layer) prints as
      ``str(list_of_tuples)``;
    * ``None`` (unknown / not built) -> ``'multiple'``;
    * a string is returned unchanged.
    """
    if shape is None:
        return 'multiple'
    if isinstance(shape, str):
        return shape
    shape = plain_shape(shape)
    if isinstance(shape, tuple):
        return str(shape)
    if isinstance(shape, list):
        if not shape:
            return 'multiple'
        if all(_is_shape(s) or isinstance(s, list) for s in shape):
            first = shape[0]
            if all(s == first for s in shape[1:]):
                return str(first)
            return 'multiple'
    return str(shape)
