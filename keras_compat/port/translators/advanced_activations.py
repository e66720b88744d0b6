"""Advanced activation layers: LeakyReLU, ELU, ThresholdedReLU and the learned PReLU,
ParametricSoftplus and SReLU.

The learned parameters are bare ``nn.Parameter``s named ``<layer>_<keras weight name>`` in
the Keras shape (``input_shape[1:]``, 1 on every shared axis), which broadcasts over the batch.
"""
from keras_compat.backend import config
from keras_compat.layers import ELU, LeakyReLU, PReLU, ParametricSoftplus, SReLU, ThresholdedReLU
from keras_compat.port.registry import translates


def _parameters(call, names):
    """Declare the layer's weights ``names``; return their ``self.<...>`` expressions."""
    exprs = []
    for name in names:
        attr = "%s_%s" % (call.var, name)
        call.src.parameter(attr, getattr(call.layer, name))
        exprs.append("self." + attr)
    return exprs


@translates(LeakyReLU)
def leaky_relu(call):
    return ["x = F.leaky_relu(x, %r)" % float(call.layer.alpha)]


@translates(ELU)
def elu(call):
    return ["x = F.elu(x, %r)" % float(call.layer.alpha)]


@translates(ThresholdedReLU)
def thresholded_relu(call):
    # A multiply, as Keras 1, so a NaN input stays NaN.
    return ["x = x * (x > %r).to(x.dtype)" % float(call.layer.theta)]


@translates(PReLU)
def prelu(call):
    (alphas,) = _parameters(call, ("alphas",))
    return ["x = torch.where(x > 0, x, %s * x)" % alphas]


@translates(ParametricSoftplus)
def parametric_softplus(call):
    alphas, betas = _parameters(call, ("alphas", "betas"))
    return ["x = F.softplus(%s * x) * %s" % (betas, alphas)]


@translates(SReLU)
def srelu(call):
    t_left, a_left, t_right, a_right = _parameters(call, ("t_left", "a_left", "t_right",
                                                          "a_right"))
    # The layer reads the emulated backend when it runs, so take the one in force now.
    backend = getattr(call.layer, "backend", None) or config.backend()
    left = "%s * z" % a_left
    comment = ""
    if backend == "theano":
        left = "torch.minimum(%s, m)" % left
        comment = "  # Theano clips the left part at the width too"
    return ["t = %s + torch.abs(%s)  # Keras 1's right threshold: t_left + |t_right|"
            % (t_left, t_right),
            "z = x - %s" % t_left,
            "m = t - %s  # width of the identity part" % t_left,
            "z = torch.where(z > 0, torch.minimum(z, m), %s)%s" % (left, comment),
            "x = %s + z + torch.relu(x - t) * %s" % (t_left, a_right)]
