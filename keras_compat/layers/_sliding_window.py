"""The output-length check the convolution and pooling layers share at build time.

Both families slide a window over the spatial axes with Keras 1's ``border_mode`` rules; it
lives beside them rather than in either, so pooling does not import the convolution package.
"""
from keras_compat.backend.convolution import conv_output_length


def output_length(layer, input_length, kernel, border_mode, stride, input_shape, kernel_desc,
                  what="kernel", dilation=1):
    """``conv_output_length`` that refuses an empty output at build time."""
    length = conv_output_length(input_length, kernel, border_mode, stride, dilation)
    if length is not None and length <= 0:
        raise ValueError("Layer %s (%s): input shape %s is too small for the %s %s with "
                         "border_mode=%r (the output would have length %d)"
                         % (layer.name, type(layer).__name__, tuple(input_shape), what,
                            tuple(kernel_desc), border_mode, length))
    return length
