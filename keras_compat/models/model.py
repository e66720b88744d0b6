"""``Model``: the functional-API model; its training surface is ``ModelBase``'s."""

from keras_compat._args.groups import MODEL_REMOVED as _REMOVED
from keras_compat.engine.container import Container
from keras_compat.engine.input_layer import Input
from keras_compat.models.base import FIT_ALIASES, ModelBase


class Model(ModelBase, Container):
    """A functional model: ``Model(input=[a, b], output=[c, d])`` (also ``inputs=``/``outputs=``).

    # Torch mapping
        A ``torch.nn.Module`` over the graph's layers; compile/fit/evaluate/predict are
        ``ModelBase``'s, which drive ``keras_compat.training`` (``Trainer`` for one input and
        one output, ``MultiTrainer`` otherwise).
    """

    def __init__(self, input, output, name=None):
        # Set before the graph registers its layers, so a layer named 'loss' or 'history'
        # gets a submodule key that leaves these attributes alone.
        self._reset_training_state()
        super().__init__(input, output, name=name)

    @property
    def input(self):
        return self.inputs[0] if self._single_input else list(self.inputs)

    @property
    def output(self):
        return self.outputs[0] if self._single_output else list(self.outputs)

    # Keras 1.2.2 refused Sequential's deprecated arguments on a functional Model.
    _ARGUMENT_RULES = dict(_REMOVED, fit=FIT_ALIASES + _REMOVED["fit"])


def graph_for(sequential):
    """The functional Model training a Sequential whose first layer merges several models.

    Its inputs are the merged models' distinct inputs (``Merge.branch_inputs``): a model merged
    twice (``Merge([left, left])``) contributes its inputs once, as in Keras 1.2.2.
    """
    inputs = [Input(batch_shape=shape) for shape in sequential.layers[0].batch_input_shape]
    if len(inputs) == 1:  # one distinct input: the model takes one array (Keras 1)
        inputs = inputs[0]
    model = Model(input=inputs, output=sequential(inputs), name=sequential.name + "_graph")
    inputs = model.inputs
    model.input_names = ["%s_%d" % (sequential._input_name, i) for i in range(len(inputs))]
    return model
