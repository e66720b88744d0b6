"""print_summary against real Keras 1.2.2 summary() text (oracle cases model_*)."""
import io

import numpy as np
import pytest
import torch

from keras_compat.engine.summary import format_shape, print_summary

import reference_data

def _meta(case):
    return reference_data.oracle(case).meta


def _render(rows, trainable, non_trainable, **kwargs):
    buf = io.StringIO()
    print_summary(rows, trainable, non_trainable,
                  print_fn=lambda line: buf.write(line + '\n'), **kwargs)
    return buf.getvalue()


def test_mlp_summary_example_verbatim():
    rows = [
        ('dense_1 (Dense)', '(None, 64)', 6464, ['dense_input_1[0][0]']),
        ('activation_1 (Activation)', '(None, 64)', 0, ['dense_1[0][0]']),
        ('dense_2 (Dense)', '(None, 10)', 650, ['activation_1[0][0]']),
        ('activation_2 (Activation)', '(None, 10)', 0, ['dense_2[0][0]']),
    ]
    expected = (
        '_' * 100 + '\n'
        'Layer (type)                     Output Shape          Param #     '
        'Connected to                     \n'
        + '=' * 100 + '\n'
        'dense_1 (Dense)                  (None, 64)            6464        '
        'dense_input_1[0][0]              \n'
        + '_' * 100 + '\n'
        'activation_1 (Activation)        (None, 64)            0           '
        'dense_1[0][0]                    \n'
        + '_' * 100 + '\n'
        'dense_2 (Dense)                  (None, 10)            650         '
        'activation_1[0][0]               \n'
        + '_' * 100 + '\n'
        'activation_2 (Activation)        (None, 10)            0           '
        'dense_2[0][0]                    \n'
        + '=' * 100 + '\n'
        'Total params: 7,114\n'
        'Trainable params: 7,114\n'
        'Non-trainable params: 0\n'
        + '_' * 100 + '\n')
    assert _render(rows, 7114, 0) == expected


def test_model_mlp_handwritten_rows():
    rows = [
        ('dense_5 (Dense)', format_shape((None, 64)), 6464,
         ['dense_input_3[0][0]']),
        ('activation_10 (Activation)', format_shape((None, 64)), 0,
         ['dense_5[0][0]']),
        ('dropout_1 (Dropout)', format_shape((None, 64)), 0,
         ['activation_10[0][0]']),
        ('dense_6 (Dense)', format_shape((None, 10)), 650,
         ['dropout_1[0][0]']),
        ('activation_11 (Activation)', format_shape((None, 10)), 0,
         ['dense_6[0][0]']),
    ]
    assert _render(rows, 7114, 0) == _meta('model_mlp')['summary']


def test_model_functional_merge_handwritten_rows():
    both = ['dense_13[0][0]', 'dense_14[0][0]']
    rows = [
        ('in_a (InputLayer)', format_shape((None, 6)), 0, []),
        ('in_b (InputLayer)', format_shape((None, 5)), 0, []),
        ('dense_13 (Dense)', format_shape((None, 4)), 28, ['in_a[0][0]']),
        ('dense_14 (Dense)', format_shape((None, 4)), 24, ['in_b[0][0]']),
        ('merge_1 (Merge)', format_shape((None, 8)), 0, both),
        ('merge_2 (Merge)', format_shape((None, 4)), 0, both),
        ('merge_3 (Merge)', format_shape((None, 4)), 0, both),
        ('merge_4 (Merge)', format_shape((None, 4)), 0, both),
        ('merge_7 (Merge)', format_shape((None, 20)), 0,
         ['merge_1[0][0]', 'merge_2[0][0]', 'merge_3[0][0]',
          'merge_4[0][0]']),
        ('merge_5 (Merge)', format_shape((None, 1)), 0, both),
        ('out1 (Dense)', format_shape((None, 3)), 63, ['merge_7[0][0]']),
        ('out2 (Dense)', format_shape((None, 1)), 2, ['merge_5[0][0]']),
        ('merge_6 (Merge)', format_shape((None, 1)), 0, both),
    ]
    assert _render(rows, 117, 0) == \
        _meta('model_functional_merge')['summary']


def _parse_tokens(text):
    """Per layer row: (shape, params, [connections]) tokens + footer counts.

    Only the value columns are read from the text; layer names and class
    names come from the stored config, so the column-truncation quirk is
    exercised by print_summary itself.
    """
    lines = text.split('\n')
    assert lines[-1] == ''
    body = lines[3:lines.index('=' * 100, 3)]
    rows = []
    for line in body:
        if line == '_' * 100:
            continue
        name, shape = line[:33].strip(), line[33:55].strip()
        params, conn = line[55:67].strip(), line[67:].strip()
        if name:
            rows.append([shape, int(params), [conn] if conn else []])
        else:
            rows[-1][2].append(conn)
    footer = {}
    for line in lines:
        for key in ('Trainable params: ', 'Non-trainable params: '):
            if line.startswith(key):
                footer[key] = int(line[len(key):].replace(',', ''))
    return rows, footer['Trainable params: '], footer['Non-trainable params: ']


@pytest.mark.parametrize('case', ['model_convnet_th', 'model_convnet_tf',
                                  'model_mlp', 'model_functional_merge'])
def test_oracle_text_reproduced_from_tokens(case):
    meta = _meta(case)
    config = meta['config']
    layers = config if isinstance(config, list) else config['layers']
    names = ['%s (%s)' % (l['config']['name'], l['class_name'])
             for l in layers]
    tokens, trainable, non_trainable = _parse_tokens(meta['summary'])
    assert len(tokens) == len(names)
    rows = []
    for full_name, (shape, params, conns) in zip(names, tokens):
        shape_tuple = tuple(None if d == 'None' else int(d)
                            for d in shape.strip('()').split(', ') if d)
        rows.append((full_name, format_shape(shape_tuple), params, conns))
    assert _render(rows, trainable, non_trainable) == meta['summary']


def test_truncation_quirk_and_row_width():
    text = _meta('model_convnet_th')['summary']
    assert 'batchnormalization_6 (BatchNorma (None, 8, 4, 4)' in text
    out = _render([('batchnormalization_6 (BatchNormalization)',
                    '(None, 8, 4, 4)', 32, ['activation_13[0][0]'])], 16, 16)
    lines = out.split('\n')
    assert lines[3].startswith('batchnormalization_6 (BatchNorma (None')
    # a field exactly filling its column loses its last character
    exact = 'x' * 33
    out = _render([(exact, '(None, 1)', 0, [])], 0, 0)
    assert out.split('\n')[3].startswith('x' * 32 + ' (None, 1)')
    for line in out.split('\n')[:4]:
        assert len(line) == 100
    assert out.split('\n')[-5:] == ['Total params: 0', 'Trainable params: 0',
                                    'Non-trainable params: 0', '_' * 100, '']


def test_thousands_separators_and_print_fn_default(capsys):
    print_summary([('d (Dense)', '(None, 1000)', 1001000, ['i[0][0]'])],
                  1001000, 1234)
    out = capsys.readouterr().out
    assert 'Total params: 1,002,234\n' in out
    assert 'Trainable params: 1,001,000\n' in out
    assert 'Non-trainable params: 1,234\n' in out
    assert '1001000     ' in out        # the per-layer count has no commas


def test_custom_line_length():
    out = _render([('a (B)', '(None, 2)', 3, ['c[0][0]'])], 3, 0,
                  line_length=50, positions=(.4, .6, .8, 1.))
    lines = out.split('\n')
    assert lines[0] == '_' * 50
    # 'Output Shape' is cut to 10 chars, then its last one becomes a space
    assert lines[1] == ('Layer (type)        Output Sh Param #   '
                        'Connected ')
    absolute = _render([('a (B)', '(None, 2)', 3, ['c[0][0]'])], 3, 0,
                       line_length=50, positions=(20, 30, 40, 50))
    assert absolute == out
    assert lines[3] == 'a (B)               (None, 2) 3         c[0][0]   '


def test_format_shape():
    assert format_shape((None, 64)) == '(None, 64)'
    assert format_shape((None, 3, 32, 32)) == '(None, 3, 32, 32)'
    assert format_shape((None,)) == '(None,)'
    assert format_shape((None, np.int64(5))) == '(None, 5)'
    assert format_shape([(None, 4), (None, 4)]) == '(None, 4)'
    assert format_shape([(None, 4), (None, 5)]) == 'multiple'
    assert format_shape([[(None, 4), (None, 5)]]) == '[(None, 4), (None, 5)]'
    assert format_shape(None) == 'multiple'
    assert format_shape('multiple') == 'multiple'
    assert format_shape((None,) + tuple(torch.Size([3, 4]))) == '(None, 3, 4)'
