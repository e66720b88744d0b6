"""TorchModule: the wrapped torch module itself, taken by the generated class as an
``__init__`` argument (its code is the user's; the port writes only the call)."""
from keras_compat.layers import TorchModule
from keras_compat.port.registry import translates


@translates(TorchModule)
def torch_module(call):
    name = call.src.module_argument(call.var, call.layer.module)
    if call.inputs:  # called on a list of tensors: module(*xs)
        return ["x = self.%s(%s)" % (name, ", ".join(call.inputs))]
    return ["x = self.%s(x)" % name]
