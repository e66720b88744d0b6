"""``Node``: Keras 1.2.2's constructor and the node attributes 2016 code read."""
from keras_compat.engine.node import Node
from keras_compat.layers import Dense, Input


def test_input_node_lists_its_tensor_and_no_inbound_layer():
    a = Input(shape=(4,), name="input_a")
    layer, node_index, tensor_index = a._keras_history
    node = layer.inbound_nodes[node_index]
    assert (node_index, tensor_index) == (0, 0)
    assert node.inbound_layers == [] and node.node_indices == [] and node.tensor_indices == []
    assert node.input_tensors == [a] and node.output_tensors == [a]
    assert node.input_shapes == [(None, 4)] and node.output_shapes == [(None, 4)]
    assert node.input_masks == [None] and node.output_masks == [None]
    assert node.is_source


def test_keras1_constructor_registers_the_node_with_both_layers():
    a = Input(shape=(4,))
    dense = Dense(2)
    b = dense(a)
    extra = Dense(3)
    before = len(dense.outbound_nodes)
    node = Node(extra, [dense], [0], [0], [b], [b], [None], [None], [(None, 2)], [(None, 2)])
    assert extra.inbound_nodes == [node]
    assert len(dense.outbound_nodes) == before + 1 and dense.outbound_nodes[-1] is node
    assert node.inbound_layers == [dense] and node.arguments == {}
    assert not node.is_source


def test_layer_masks_and_input_output_at_nodes():
    a, b = Input(shape=(4,)), Input(shape=(4,))
    shared = Dense(2)
    out_a, out_b = shared(a), shared(b)
    assert shared.get_input_at(1) is b and shared.get_output_at(0) is out_a
    assert shared.get_output_mask_at(1) is None
    single = Dense(2)
    single(a)
    assert single.input_mask is None and single.output_mask is None
