"""plot_model / model_to_dot with a fake model exposing plot_graph()."""
import os
import sys
import types

import pytest
from PIL import Image

from keras_compat.utils import vis_utils
from keras_compat.utils.vis_utils import (model_to_dot, model_to_dot_source,
                                          plot_model)


class FakeModel(object):
    def __init__(self, nodes, edges):
        self._nodes = nodes
        self._edges = edges

    def plot_graph(self):
        return list(self._nodes), list(self._edges)


def _node(i, name, cls, ins, outs):
    return {'id': str(i), 'name': name, 'class_name': cls,
            'input_shape': ins, 'output_shape': outs}


def chain(n):
    nodes = [_node(1000, 'input_1', 'InputLayer', (None, 3, 32, 32),
                   (None, 3, 32, 32))]
    for i in range(1, n):
        nodes.append(_node(1000 + i, 'layer_%d' % i, 'Dense',
                           (None, 3, 32, 32), (None, 64, 32, 32)))
    edges = [(str(1000 + i), str(1001 + i)) for i in range(n - 1)]
    return FakeModel(nodes, edges)


def diamond():
    nodes = [_node('a', 'in_a', 'InputLayer', (None, 6), (None, 6)),
             _node('b', 'in_b', 'InputLayer', (None, 5), (None, 5)),
             _node('c', 'dense_1', 'Dense', (None, 6), (None, 4)),
             _node('d', 'dense_2', 'Dense', (None, 5), (None, 4)),
             _node('e', 'merge_1', 'Merge', [(None, 4), (None, 4)],
                   (None, 8)),
             _node('f', 'out', 'Dense', (None, 8), (None, 3))]
    edges = [('a', 'c'), ('b', 'd'), ('c', 'e'), ('d', 'e'), ('e', 'f'),
             ('a', 'f')]   # a skip edge: 'f' must still sit below 'e'
    return FakeModel(nodes, edges)


def _boxes(model, show_shapes, show_layer_names=True):
    from PIL import ImageDraw
    nodes, edges = model.plot_graph()
    font = vis_utils._load_font()
    probe = ImageDraw.Draw(Image.new('RGB', (1, 1)))
    line_h = (vis_utils._text_size(probe, 'Ag(|)[0', font)[1]
              + vis_utils._LINE_GAP)
    boxes, w, h = vis_utils._layout(nodes, edges, probe, font, line_h,
                                    show_shapes, show_layer_names)
    return boxes, w, h


@pytest.mark.parametrize('show_shapes', [False, True])
def test_png_written_and_grows(tmp_path, show_shapes):
    sizes = []
    for n in (2, 5):
        path = tmp_path / ('m%d.png' % n)
        plot_model(chain(n), to_file=str(path), show_shapes=show_shapes)
        assert path.exists()
        with Image.open(str(path)) as img:
            assert img.format == 'PNG'
            img.load()
            sizes.append(img.size)
            rgb = img.convert('RGB')
            boxes, w, h = _boxes(chain(n), show_shapes)
            assert img.size == (w, h)
            for box in boxes.values():
                x0, y0, x1, y1 = box.bbox
                inner = rgb.crop((x0 + 2, y0 + 2, x1 - 1, y1 - 1))
                colors = inner.getcolors(1 << 16)
                assert len(colors) > 1, 'box %s is blank' % box.id
                assert any(c != (255, 255, 255) for _, c in colors)
        assert 60 < sizes[-1][0] < 2000 and 40 < sizes[-1][1] < 4000
    assert sizes[1][1] > sizes[0][1]
    # no leftover temp files
    assert sorted(os.listdir(str(tmp_path))) == ['m2.png', 'm5.png']


def test_shapes_make_boxes_wider():
    plain, w0, _ = _boxes(chain(2), False)
    shaped, w1, _ = _boxes(chain(2), True)
    assert w1 > w0
    assert shaped['1001'].w > plain['1001'].w
    assert len(shaped['1001'].cols) == 3 and len(plain['1001'].cols) == 1


def test_dag_layering_and_arrows(tmp_path):
    model = diamond()
    boxes, w, h = _boxes(model, True)
    assert boxes['a'].y == boxes['b'].y            # side by side
    assert boxes['a'].x + boxes['a'].w <= boxes['b'].x
    assert boxes['c'].y == boxes['d'].y > boxes['a'].y
    assert boxes['e'].y > boxes['c'].y
    assert boxes['f'].y > boxes['e'].y            # longest path, not BFS
    path = tmp_path / 'dag.png'
    plot_model(model, to_file=str(path), show_shapes=True)
    with Image.open(str(path)) as img:
        rgb = img.convert('RGB')
    # an arrow runs through the gap between merge_1 and out
    e, f = boxes['e'], boxes['f']
    gap = rgb.crop((0, e.y + e.h + 1, rgb.size[0], f.y - 1))
    assert any(c != (255, 255, 255) for _, c in gap.getcolors(1 << 16))
    # and nothing is drawn in the margin
    margin = rgb.crop((0, 0, rgb.size[0], 5))
    assert margin.getcolors(1 << 16) == [(rgb.size[0] * 5, (255, 255, 255))]


@pytest.mark.parametrize('ext,fmt', [('.jpg', 'JPEG'), ('.gif', 'GIF'),
                                     ('.bmp', 'BMP'), ('', 'PNG'),
                                     ('.weird', 'PNG')])
def test_other_formats(tmp_path, ext, fmt):
    path = tmp_path / ('model' + ext)
    plot_model(chain(3), to_file=str(path))
    with Image.open(str(path)) as img:
        assert img.format == fmt


def test_dot_file_and_source(tmp_path):
    model = diamond()
    text = model_to_dot_source(model, show_shapes=True)
    assert text.startswith('digraph G {')
    for name, cls in [('in_a', 'InputLayer'), ('dense_1', 'Dense'),
                      ('merge_1', 'Merge'), ('out', 'Dense')]:
        assert '%s: %s' % (name, cls) in text
    for src, dst in model.plot_graph()[1]:
        assert '"%s" -> "%s";' % (src, dst) in text
    assert ('merge_1: Merge\\n|{input:|output:}|'
            '{{(None, 4), (None, 4)}|{(None, 8)}}') in text
    assert 'rankdir=TB' in text and 'shape=record' in text
    no_names = model_to_dot_source(model, show_layer_names=False)
    assert '[label="Merge"]' in no_names and 'merge_1' not in no_names
    for ext in ('.dot', '.gv'):
        path = tmp_path / ('model' + ext)
        plot_model(model, to_file=str(path), show_shapes=True)
        assert path.read_text() == text


def test_plot_to_current_dir_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plot_model(chain(2))
    with Image.open('model.png') as img:
        assert img.format == 'PNG'


def test_visualize_util_aliases(tmp_path):
    from keras_compat.utils import visualize_util
    assert visualize_util.plot is plot_model
    assert visualize_util.model_to_dot is model_to_dot
    visualize_util.plot(chain(2), to_file=str(tmp_path / 'p.png'))
    assert (tmp_path / 'p.png').exists()


def test_model_to_dot_without_pydot(monkeypatch):
    monkeypatch.setitem(sys.modules, 'pydot', None)
    with pytest.raises(ImportError, match='plot_model'):
        model_to_dot(chain(2))


def test_model_to_dot_with_fake_pydot(monkeypatch):
    fake = types.ModuleType('pydot')

    class Dot(object):
        def __init__(self):
            self.attrs, self.nodes, self.edges, self.defaults = {}, [], [], {}

        def set(self, k, v):
            self.attrs[k] = v

        def set_node_defaults(self, **kw):
            self.defaults.update(kw)

        def add_node(self, n):
            self.nodes.append(n)

        def add_edge(self, e):
            self.edges.append(e)

    class Node(object):
        def __init__(self, name, **kw):
            self.name, self.attrs = name, kw

    class Edge(object):
        def __init__(self, src, dst):
            self.src, self.dst = src, dst

    fake.Dot, fake.Node, fake.Edge = Dot, Node, Edge
    monkeypatch.setitem(sys.modules, 'pydot', fake)
    dot = model_to_dot(diamond(), show_shapes=True)
    assert dot.attrs == {'rankdir': 'TB', 'concentrate': True}
    assert dot.defaults == {'shape': 'record'}
    assert [n.name for n in dot.nodes] == list('abcdef')
    assert dot.nodes[2].attrs['label'] == \
        'dense_1: Dense\n|{input:|output:}|{{(None, 6)}|{(None, 4)}}'
    assert [(e.src, e.dst) for e in dot.edges] == diamond().plot_graph()[1]


def test_unwritable_target_leaves_no_temp(tmp_path):
    target = tmp_path / 'adir'
    target.mkdir()
    with pytest.raises(OSError):
        plot_model(chain(2), to_file=str(target))   # a directory: replace fails
    assert os.listdir(str(target)) == []
    assert sorted(os.listdir(str(tmp_path))) == ['adir']


def test_missing_protocol():
    with pytest.raises(TypeError, match='plot_graph'):
        plot_model(object(), to_file='never.png')
