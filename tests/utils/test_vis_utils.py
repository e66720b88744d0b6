"""plot_model / model_to_dot with a fake model exposing plot_graph()."""
import os
import sys
import types

import pytest
from PIL import Image

from keras_compat.utils import vis_utils
from keras_compat.utils.vis_utils import (model_to_dot, model_to_dot_source,
                                          plot_model)

import reference_data


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
    with pytest.raises(TypeError, match=r"need a Keras model \(Sequential or Model\), "
                                        r"got 'object'"):
        plot_model(object(), to_file='never.png')


# -- functional models: the graph Keras 1.2.2 drew (tests/data/oracle/plot_graphs.json, made by
# tools/oracle_cases/plot_graph_cases.py) -----------------------------------------------------

def _oracle_graphs():
    return reference_data.load_json('oracle', 'plot_graphs.json')['cases']


def _functional_models():
    from keras_compat.engine.input_layer import Input
    from keras_compat.layers import Dense, merge
    from keras_compat.models import Model, Sequential

    def two_inputs_shared_nested():
        a, b = Input((4,), name='a'), Input((4,), name='b')
        shared = Dense(3, name='shared')
        m = merge([shared(a), shared(b)], mode='concat', name='m')
        inner_in = Input((6,), name='inner_in')
        inner = Model(inner_in, Dense(2, name='inner_dense')(inner_in), name='inner')
        return Model([a, b], [inner(m), m])

    def shared_with_different_shapes():
        a, b = Input((4,), name='a'), Input((3, 4), name='b')
        shared = Dense(5, name='shared')
        return Model([a, b], [shared(a), shared(b)])

    def sequential_in_functional():
        seq = Sequential([Dense(3, input_shape=(4,), name='s_dense')], name='seq')
        x = Input((4,), name='x')
        y = seq(x)
        return Model(x, Dense(2, name='head')(merge([y, y], mode='sum', name='twice')))

    def sequential_chain():
        return Sequential([Dense(3, input_shape=(4,), name='d1'), Dense(2, name='d2')])

    return {fn.__name__: fn for fn in (two_inputs_shared_nested, shared_with_different_shapes,
                                       sequential_in_functional, sequential_chain)}


def _named_graph(model):
    nodes, edges = vis_utils._get_graph(model)
    names = {n['id']: n['name'] for n in nodes}
    labels = [{'name': n['name'], 'class_name': n['class_name'],
               'input': vis_utils._input_text(n.get('input_shape')),
               'output': vis_utils._output_text(n.get('output_shape'))} for n in nodes]
    return {'nodes': labels, 'edges': [[names[s], names[d]] for s, d in edges]}


def _same_input_name(graph):
    # The input layer Sequential creates is named by a global counter in both libraries.
    first = graph['nodes'][0]['name']
    return json_replace(graph, first, '<input>')


def json_replace(graph, old, new):
    import json
    return json.loads(json.dumps(graph).replace('"%s"' % old, '"%s"' % new))


@pytest.mark.parametrize('case', sorted(_oracle_graphs()))
def test_functional_graph_matches_what_keras1_drew(case):
    expected = _oracle_graphs()[case]
    got = _named_graph(_functional_models()[case]())
    if case.startswith('sequential_chain'):
        expected, got = _same_input_name(expected), _same_input_name(got)
    assert got == expected


@pytest.mark.parametrize('show_shapes', [False, True])
def test_functional_model_png_has_one_box_per_layer(tmp_path, show_shapes):
    model = _functional_models()['two_inputs_shared_nested']()
    path = tmp_path / 'functional.png'
    plot_model(model, to_file=str(path), show_shapes=show_shapes)
    nodes, edges = vis_utils._get_graph(model)
    boxes, w, h = _boxes(FakeModel(nodes, edges), show_shapes)
    with Image.open(str(path)) as img:
        assert img.format == 'PNG' and img.size == (w, h)
        rgb = img.convert('RGB')
    assert len(boxes) == len(model.layers) == 5
    for box in boxes.values():
        x0, y0, x1, y1 = box.bbox
        assert rgb.getpixel((x0, y0 + 1)) == (0, 0, 0)  # the box outline is drawn
    by_name = {n['name']: boxes[n['id']] for n in nodes}
    # inputs on top, the shared layer below both, the merge below it, the nested model last
    assert by_name['a'].y == by_name['b'].y < by_name['shared'].y < by_name['m'].y \
        < by_name['inner'].y


def test_visualize_util_plot_draws_a_functional_model(tmp_path):
    from keras_compat.utils.visualize_util import plot
    model = _functional_models()['shared_with_different_shapes']()
    path = tmp_path / 'model.png'
    plot(model, to_file=str(path), show_shapes=True, show_layer_names=False)
    with Image.open(str(path)) as img:
        assert img.size[0] > 100 and img.size[1] > 100
    assert 'multiple' in model_to_dot_source(model, show_shapes=True)
