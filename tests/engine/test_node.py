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


def test_tensors_know_whether_they_depend_on_the_learning_phase():
    # Keras 1.2.2 test_topology.test_learning_phase: a Dropout upstream, through merges and
    # through a model called as a layer.
    from keras_compat.layers import Dropout, merge
    from keras_compat.models import Model
    a, b = Input(shape=(8,)), Input(shape=(8,))
    a_2, b_2 = Dense(4)(a), Dropout(0.5)(b)
    assert not a_2._uses_learning_phase and b_2._uses_learning_phase
    assert merge([a_2, b_2], mode="concat")._uses_learning_phase
    model = Model([a, b], [a_2, b_2])
    assert model.uses_learning_phase
    c_2, d_2 = model([Input(shape=(8,)), Input(shape=(8,))])
    assert c_2._uses_learning_phase and d_2._uses_learning_phase
    a_2._uses_learning_phase = True  # code written for Keras 1 could set the flag
    assert a_2._uses_learning_phase
