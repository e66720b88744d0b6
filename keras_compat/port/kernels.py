"""The one place the port decides a convolution kernel's orientation.

A convolution layer built under the emulated Theano backend runs a true convolution with the
kernel its parameter holds; torch's ``nn.Conv*`` run cross-correlation, so the port stores
that kernel flipped over its spatial axes. When layer parameters hold every kernel in torch's
cross-correlation orientation (issue 13), this becomes the identity and goes.
"""


def torch_kernel(layer, kernel):
    """``kernel`` (a parameter of ``layer``, laid out ``(out, in, *spatial)`` or
    ``(in, out, *spatial)``) detached, in the orientation torch's cross-correlation runs."""
    kernel = kernel.detach()
    if (layer.backend or "tensorflow") == "theano":
        return kernel.flip(tuple(range(2, kernel.dim())))
    return kernel
