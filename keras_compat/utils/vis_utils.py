"""Model graph drawing: ``plot_model`` / ``model_to_dot`` (Keras-1 ``visualize_util``).

Keras 1 drew models through pydot + Graphviz. Here ``plot_model`` renders the
image itself with Pillow (no Graphviz or pydot needed), keeping Keras's look:
one box per layer labelled ``name: ClassName`` (or ``ClassName``), optionally
with an ``input: | shape`` / ``output: | shape`` table (Keras's record label
``label|{input:|output:}|{{in}|{out}}``), laid out top to bottom with arrows.

The graph is read as Keras 1 read it: one box per layer of ``model.layers``
(a nested model or a shared layer is one box; a shared layer gets one arrow per
call), and one arrow from each inbound layer of each of the layer's nodes that
belong to the model.  A model may instead provide ``model.plot_graph()``
returning ``(nodes, edges)``: ``nodes`` is a list (topological order) of dicts
with keys ``id``, ``name``, ``class_name``, ``input_shape`` and
``output_shape`` (tuple, list of tuples, or None for "multiple"), ``edges`` a
list of ``(src_id, dst_id)``.
"""
import os
import tempfile

from keras_compat.engine.summary import plain_shape
from keras_compat.training import distributed

__all__ = ['plot_model', 'model_to_dot', 'model_to_dot_source']

_PIL_FORMATS = {
    '.png': 'PNG',
    '.jpg': 'JPEG',
    '.jpeg': 'JPEG',
    '.gif': 'GIF',
    '.bmp': 'BMP',
    '.tif': 'TIFF',
    '.tiff': 'TIFF',
    '.pdf': 'PDF',
}
_DOT_EXTENSIONS = ('.dot', '.gv')

# drawing constants (pixels)
_MARGIN = 20
_PAD_X = 10
_PAD_Y = 6
_LINE_GAP = 4
_H_GAP = 30
_V_GAP = 44
_ARROW_LEN = 10
_ARROW_HALF_WIDTH = 5
_BACKGROUND = (255, 255, 255)
_INK = (0, 0, 0)
_BOX_FILL = (255, 255, 255)


# ----------------------------------------------------------------------------
# graph extraction and labels
# ----------------------------------------------------------------------------

def _layer_shape(layer, attr):
    # Keras 1 wrote 'multiple' where the attribute raised (shared layers with
    # different shapes, layers never called).
    try:
        return getattr(layer, attr)
    except (AttributeError, RuntimeError):
        return None


def _functional_graph(model):
    """``(nodes, edges)`` of a functional model, with Keras 1's conventions."""
    layers = list(model.layers)
    in_model = {id(layer) for layer in layers}
    own_nodes = getattr(model, '_nodes', None)
    nodes = [{'id': str(id(layer)), 'name': layer.name,
              'class_name': type(layer).__name__,
              'input_shape': _layer_shape(layer, 'input_shape'),
              'output_shape': _layer_shape(layer, 'output_shape')}
             for layer in layers]
    edges = []
    for layer in layers:
        for node in layer.inbound_nodes:
            inbound = [l for l in node.inbound_layers if id(l) in in_model]
            if own_nodes is not None:
                if id(node) not in own_nodes:
                    continue
            elif len(inbound) != len(node.inbound_layers):
                continue
            edges.extend((str(id(l)), str(id(layer))) for l in inbound)
    return nodes, edges


def _get_graph(model):
    getter = getattr(model, 'plot_graph', None)
    if getter is not None:
        nodes, edges = getter()
    elif hasattr(model, 'layers') and hasattr(model, 'inputs'):
        nodes, edges = _functional_graph(model)
    else:
        raise TypeError('plot_model / model_to_dot need a Keras model (Sequential or '
                        'Model), got %r' % (type(model).__name__,))
    nodes = [dict(n) for n in nodes]
    for n in nodes:
        n['id'] = str(n['id'])
    edges = [(str(a), str(b)) for a, b in edges]
    return nodes, edges


def _shape_str(shape):
    if isinstance(shape, tuple):
        return str(plain_shape(shape))
    return str(shape)


def _input_text(shape):
    # Keras 1: str(layer.input_shape); several inputs -> ', '.join(str(s))
    if shape is None:
        return 'multiple'
    if isinstance(shape, list):
        return ', '.join(_shape_str(s) for s in shape)
    return _shape_str(shape)


def _output_text(shape):
    # Keras 1: str(layer.output_shape) (a list for multi-output layers)
    if shape is None:
        return 'multiple'
    if isinstance(shape, list):
        return str(plain_shape(shape))
    return _shape_str(shape)


def _title(node, show_layer_names):
    if show_layer_names:
        return '{}: {}'.format(node['name'], node['class_name'])
    return node['class_name']


def _keras_label(node, show_shapes, show_layer_names):
    """The record label exactly as Keras 1 built it (with a real newline)."""
    label = _title(node, show_layer_names)
    if show_shapes:
        label = '%s\n|{input:|output:}|{{%s}|{%s}}' % (
            label, _input_text(node.get('input_shape')),
            _output_text(node.get('output_shape')))
    return label


def _dot_quote(text):
    return '"%s"' % (text.replace('\\', '\\\\').replace('"', '\\"')
                     .replace('\n', '\\n'))


def model_to_dot_source(model, show_shapes=False, show_layer_names=True):
    """The model graph as DOT text (Graphviz language); needs no dependency."""
    nodes, edges = _get_graph(model)
    out = ['digraph G {',
           '\tgraph [concentrate=true, rankdir=TB];',
           '\tnode [shape=record];']
    for node in nodes:
        out.append('\t%s [label=%s];' % (
            _dot_quote(node['id']),
            _dot_quote(_keras_label(node, show_shapes, show_layer_names))))
    for src, dst in edges:
        out.append('\t%s -> %s;' % (_dot_quote(src), _dot_quote(dst)))
    out.append('}')
    return '\n'.join(out) + '\n'


def model_to_dot(model, show_shapes=False, show_layer_names=True):
    """A ``pydot.Dot`` graph of the model, like Keras 1's ``model_to_dot``.

    Requires the optional ``pydot`` package; ``plot_model`` and
    ``model_to_dot_source`` work without it.
    """
    try:
        import pydot
    except ImportError:
        raise ImportError(
            'model_to_dot requires the optional "pydot" package '
            '(pip install pydot). plot_model() works without it (it draws '
            'the PNG with Pillow), and model_to_dot_source() returns the DOT '
            'text without any dependency.')
    nodes, edges = _get_graph(model)
    dot = pydot.Dot()
    dot.set('rankdir', 'TB')
    dot.set('concentrate', True)
    dot.set_node_defaults(shape='record')
    for node in nodes:
        dot.add_node(pydot.Node(
            node['id'],
            label=_keras_label(node, show_shapes, show_layer_names)))
    for src, dst in edges:
        dot.add_edge(pydot.Edge(src, dst))
    return dot


# ----------------------------------------------------------------------------
# layout
# ----------------------------------------------------------------------------

def _levels(nodes, edges):
    """Longest-path layering: sources at level 0, others below all parents."""
    ids = [n['id'] for n in nodes]
    known = set(ids)
    parents = {i: [] for i in ids}
    for src, dst in edges:
        if src in known and dst in known and src != dst:
            parents[dst].append(src)
    level = {}
    visiting = set()

    def visit(node_id):
        if node_id in level:
            return level[node_id]
        if node_id in visiting:      # cycle: break it here
            return 0
        visiting.add(node_id)
        value = 0
        for p in parents[node_id]:
            value = max(value, visit(p) + 1)
        visiting.discard(node_id)
        level[node_id] = value
        return value

    for i in ids:
        visit(i)
    return level


def _load_font():
    from PIL import ImageFont  # Pillow is needed only to draw a PNG: loaded when one is drawn
    return ImageFont.load_default(size=14)  # size=: Pillow >= 10.1 (the declared floor)


def _text_size(draw, text, font):
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    return right - left, bottom - top, left, top


class _Box(object):
    """Geometry of one node's box and its cells."""

    def __init__(self, node, draw, font, line_h, show_shapes,
                 show_layer_names):
        self.id = node['id']
        self.title = _title(node, show_layer_names)
        self.show_shapes = show_shapes
        title_w = _text_size(draw, self.title, font)[0]
        if show_shapes:
            self.keys = ('input:', 'output:')
            self.values = (_input_text(node.get('input_shape')),
                           _output_text(node.get('output_shape')))
            keys_w = max(_text_size(draw, t, font)[0] for t in self.keys)
            vals_w = max(_text_size(draw, t, font)[0] for t in self.values)
            self.cols = [title_w + 2 * _PAD_X, keys_w + 2 * _PAD_X,
                         vals_w + 2 * _PAD_X]
            self.h = 2 * line_h + 4 * _PAD_Y
        else:
            self.cols = [title_w + 2 * _PAD_X]
            self.h = line_h + 2 * _PAD_Y
        self.w = sum(self.cols)
        self.x = self.y = 0

    @property
    def bbox(self):
        return (self.x, self.y, self.x + self.w, self.y + self.h)


def _layout(nodes, edges, draw, font, line_h, show_shapes, show_layer_names):
    level = _levels(nodes, edges)
    boxes = {}
    rows = {}
    for node in nodes:
        box = _Box(node, draw, font, line_h, show_shapes, show_layer_names)
        boxes[node['id']] = box
        rows.setdefault(level[node['id']], []).append(box)
    row_keys = sorted(rows)
    row_widths = {k: sum(b.w for b in rows[k]) + _H_GAP * (len(rows[k]) - 1)
                  for k in row_keys}
    content_w = max(row_widths.values()) if row_widths else 0
    width = content_w + 2 * _MARGIN
    y = _MARGIN
    for k in row_keys:
        row = rows[k]
        row_h = max(b.h for b in row)
        x = _MARGIN + (content_w - row_widths[k]) // 2
        for b in row:
            b.x = x
            b.y = y + (row_h - b.h) // 2
            x += b.w + _H_GAP
        y += row_h + _V_GAP
    height = (y - _V_GAP + _MARGIN) if row_keys else 2 * _MARGIN
    return boxes, max(width, 2 * _MARGIN + 1), max(height, 2 * _MARGIN + 1)


# ----------------------------------------------------------------------------
# drawing
# ----------------------------------------------------------------------------

def _draw_text_centered(draw, cell, text, font):
    x0, y0, x1, y1 = cell
    w, h, left, top = _text_size(draw, text, font)
    tx = x0 + (x1 - x0 - w) / 2.0 - left
    ty = y0 + (y1 - y0 - h) / 2.0 - top
    draw.text((tx, ty), text, fill=_INK, font=font)


def _draw_box(draw, box, font):
    x0, y0, x1, y1 = box.bbox
    draw.rectangle((x0, y0, x1, y1), fill=_BOX_FILL, outline=_INK, width=1)
    title_right = x0 + box.cols[0]
    _draw_text_centered(draw, (x0, y0, title_right, y1), box.title, font)
    if not box.show_shapes:
        return
    keys_right = title_right + box.cols[1]
    mid_y = y0 + box.h // 2
    draw.line((title_right, y0, title_right, y1), fill=_INK, width=1)
    draw.line((keys_right, y0, keys_right, y1), fill=_INK, width=1)
    draw.line((title_right, mid_y, x1, mid_y), fill=_INK, width=1)
    _draw_text_centered(draw, (title_right, y0, keys_right, mid_y),
                        box.keys[0], font)
    _draw_text_centered(draw, (title_right, mid_y, keys_right, y1),
                        box.keys[1], font)
    _draw_text_centered(draw, (keys_right, y0, x1, mid_y), box.values[0], font)
    _draw_text_centered(draw, (keys_right, mid_y, x1, y1), box.values[1], font)


def _draw_arrow(draw, start, end):
    sx, sy = start
    ex, ey = end
    dx, dy = ex - sx, ey - sy
    length = (dx * dx + dy * dy) ** 0.5
    if length < 1e-6:
        return
    ux, uy = dx / length, dy / length
    bx, by = ex - ux * _ARROW_LEN, ey - uy * _ARROW_LEN   # arrowhead base
    draw.line((sx, sy, bx, by), fill=_INK, width=1)
    px, py = -uy * _ARROW_HALF_WIDTH, ux * _ARROW_HALF_WIDTH
    draw.polygon([(ex, ey), (bx + px, by + py), (bx - px, by - py)],
                 fill=_INK, outline=_INK)


def _spread(box, k, count):
    return box.x + box.w * (k + 1) / float(count + 1)


def _render(model, show_shapes, show_layer_names):
    from PIL import Image, ImageDraw  # loaded when a PNG is drawn, as in _load_font
    nodes, edges = _get_graph(model)
    font = _load_font()
    probe = ImageDraw.Draw(Image.new('RGB', (1, 1)))
    line_h = _text_size(probe, 'Ag(|)[0', font)[1] + _LINE_GAP
    boxes, width, height = _layout(nodes, edges, probe, font, line_h,
                                   show_shapes, show_layer_names)
    image = Image.new('RGB', (int(width), int(height)), _BACKGROUND)
    draw = ImageDraw.Draw(image)

    drawn = []
    seen = set()
    for src, dst in edges:
        if src in boxes and dst in boxes and src != dst \
                and (src, dst) not in seen:   # concentrate duplicate edges
            seen.add((src, dst))
            drawn.append((src, dst))
    outgoing = {}
    incoming = {}
    for src, dst in drawn:
        outgoing.setdefault(src, []).append(dst)
        incoming.setdefault(dst, []).append(src)
    for src, dst in drawn:
        a, b = boxes[src], boxes[dst]
        outs = sorted(outgoing[src], key=lambda i: boxes[i].x)
        ins = sorted(incoming[dst], key=lambda i: boxes[i].x)
        start = (_spread(a, outs.index(dst), len(outs)), a.y + a.h)
        end = (_spread(b, ins.index(src), len(ins)), b.y)
        if b.y <= a.y:      # back edge (cycle): go from the side
            start = (a.x + a.w, a.y + a.h / 2.0)
            end = (b.x + b.w, b.y + b.h / 2.0)
        _draw_arrow(draw, start, end)
    for node in nodes:
        _draw_box(draw, boxes[node['id']], font)
    return image


def _atomic_write(path, write):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.tmp-', suffix=os.path.splitext(path)[1],
                               dir=directory)
    try:
        with os.fdopen(fd, 'wb') as f:
            write(f)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def plot_model(model, to_file='model.png', show_shapes=False,
               show_layer_names=True):
    """Draws the model graph to ``to_file``.

    The format follows the extension: ``.png`` (also the default for unknown
    extensions, as Keras 1 always wrote PNG), ``.jpg``/``.jpeg``, ``.gif``,
    ``.bmp``, ``.tif``/``.tiff``, ``.pdf`` (all through Pillow), or
    ``.dot``/``.gv`` for the DOT text. The file is written atomically (in a data-parallel
    run by rank 0, the other ranks waiting for it).
    """
    to_file = os.fspath(to_file)
    distributed.on_rank_zero(
        lambda: _write_plot(model, to_file, show_shapes, show_layer_names), "plot_model")


def _write_plot(model, to_file, show_shapes, show_layer_names):
    ext = os.path.splitext(to_file)[1].lower()
    if ext in _DOT_EXTENSIONS:
        text = model_to_dot_source(model, show_shapes=show_shapes,
                                   show_layer_names=show_layer_names)
        _atomic_write(to_file, lambda f: f.write(text.encode('utf-8')))
        return
    fmt = _PIL_FORMATS.get(ext, 'PNG')
    image = _render(model, show_shapes, show_layer_names)
    _atomic_write(to_file, lambda f: image.save(f, format=fmt))
