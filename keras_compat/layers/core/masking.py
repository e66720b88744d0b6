"""``Masking``: marks timesteps whose features all equal ``mask_value`` as padding."""
from keras_compat._args import values
from keras_compat.engine.layer import Layer


class Masking(Layer):
    """Masks a sequence by using a mask value to skip timesteps.

    A timestep (axis 1) is masked when every feature of it (last axis) equals
    ``mask_value``; downstream layers that support masking skip it.

    # Arguments
        mask_value: the padding value (default 0.0).

    # Input shape / Output shape
        ``(nb_samples, timesteps, features)`` (any rank >= 2); the output has the input's
        shape and is ``x`` with masked timesteps set to 0 (as Keras 1). The output mask is
        ``any(x != mask_value, axis=-1)``.

    # Torch mapping
        ``keep = (x != mask_value).any(-1)``; output ``x * keep[..., None]``; the boolean
        mask flows to the next layer through ``compute_mask``.

    # Differences from Keras 1
        None.
    """

    input_spec_ndim = "any"

    supports_masking = True
    min_input_ndim = 2

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        values.check_number("Masking", "mask_value", mask_value)
        self.mask_value = mask_value

    def output_has_mask(self, input_has_mask):
        return True

    def compute_mask(self, x, mask=None):
        return (x != self.mask_value).any(dim=-1)

    def call(self, x, mask=None):
        keep = (x != self.mask_value).any(dim=-1, keepdim=True)
        return x * keep.to(x.dtype)

    def extra_repr(self):
        return "name=%r, mask_value=%s" % (self.name, self.mask_value)
