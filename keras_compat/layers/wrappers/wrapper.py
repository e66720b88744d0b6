"""``Wrapper``: the base of the layers that hold other layers (TimeDistributed, Bidirectional).

A wrapper owns no weights of its own: everything about weights (``get_weights`` order,
names, trainable flags, constraints, regularizers) is delegated to the inner layers, which
stay ``torch.nn.Module`` children of the wrapper.
"""
import numpy as np

from keras_compat.engine.layer import Layer, WeightSpec
from keras_compat.engine.registry import layer_from_config


class Wrapper(Layer):
    """Abstract wrapper base class (Keras 1 ``keras.layers.wrappers.Wrapper``).

    # Arguments
        layer: a ``Layer`` instance.

    # Torch mapping
        The inner layers are child modules; the wrapper has no parameters of its own.
        Subclasses list their inner layers in ``inner_layers()``.

    # Differences from Keras 1
        None in behaviour; ``get_config`` has the Keras-1 form ``{'layer': {'class_name',
        'config'}, ...}``.
    """

    config_exclude = ("weights", "layer")

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise TypeError("%s: the wrapped `layer` must be a Layer instance, got %r"
                            % (type(self).__name__, layer))
        super().__init__(**kwargs)

    @property
    def uses_learning_phase(self):
        return any(layer.uses_learning_phase for layer in self.inner_layers())

    def keras1_updates(self):
        """A wrapper lists its layers' updates (an empty list when they have none), as Keras 1."""
        return [update for layer in self.inner_layers()
                for update in getattr(layer, "updates", ())]

    def inner_layers(self):
        """The layers whose weights this wrapper reports, in ``get_weights()`` order."""
        return [self.layer]

    # -- running --------------------------------------------------------------------------
    def forward(self, x, mask=None):
        # The wrapper has no activity regularizer; the inner layers keep their own.
        if not self.built:
            self.build_for((None,) + tuple(x.shape[1:]))
        return self.call(x, mask)

    # -- weights (all delegated) ----------------------------------------------------------
    def _children_attr(self):
        return [(name, module) for name, module in self._modules.items()
                if any(module is layer for layer in self.inner_layers())]

    def weight_specs(self):
        """Specs pointing into the inner layers (``'<child>.<attr>'``), for generic code."""
        specs = []
        for child, layer in self._children_attr():
            for spec in layer._ordered_specs():
                specs.append(WeightSpec("%s.%s" % (child, spec.suffix), "%s.%s" % (child, spec.attr),
                                        spec.to_keras, spec.from_keras,
                                        spec.trainable and layer.trainable))
        return specs

    def _ordered_specs(self):
        return self.weight_specs()

    def __getattr__(self, name):
        if "." in name:
            child, _, rest = name.partition(".")
            modules = self.__dict__.get("_modules", {})
            if child in modules:
                module = modules[child]
                if rest.endswith("_regularizer") and hasattr(module, "regularizer_for"):
                    return module.regularizer_for(rest[:-len("_regularizer")])
                return getattr(module, rest)
        return super().__getattr__(name)

    @property
    def activity_regularizer(self):
        """The inner layers' activity regularizer, if any (they apply it themselves)."""
        try:
            layers = self.inner_layers()
        except AttributeError:  # during construction
            return None
        for layer in layers:
            if getattr(layer, "activity_regularizer", None) is not None:
                return layer.activity_regularizer
        return None

    @activity_regularizer.setter
    def activity_regularizer(self, value):
        if value is not None:
            raise ValueError("%s: a wrapper has no activity regularizer of its own; give it to "
                             "the wrapped layer" % type(self).__name__)

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [w for layer in self.inner_layers() for w in layer.trainable_weights]

    @trainable_weights.setter
    def trainable_weights(self, weights):
        raise AttributeError("%s: the trainable weights of a wrapper are its inner layer's; set "
                             "them on the inner layer" % self.name)

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return [w for layer in self.inner_layers() for w in layer.weights]
        return [w for layer in self.inner_layers() for w in layer.non_trainable_weights]

    @non_trainable_weights.setter
    def non_trainable_weights(self, weights):
        raise AttributeError("%s: the weights of a wrapper are its inner layer's; set them on "
                             "the inner layer" % self.name)

    def keras1_weight_names(self):
        return [n for layer in self.inner_layers() for n in layer.keras1_weight_names()]

    def get_weights(self):
        return [w for layer in self.inner_layers() for w in layer.get_weights()]

    def _split_weights(self, weights):
        counts = [len(layer.get_weights()) for layer in self.inner_layers()]
        if len(weights) != sum(counts):
            raise ValueError('You called `set_weights(weights)` on layer "%s" with a weight list '
                             "of length %d, but the layer was expecting %d weights."
                             % (self.name, len(weights), sum(counts)))
        parts, offset = [], 0
        for count in counts:
            parts.append(weights[offset:offset + count])
            offset += count
        return parts

    def set_weights(self, weights):
        """Set the inner layers' weights; nothing changes unless every array fits."""
        weights = [np.asarray(w) for w in weights]
        parts = self._split_weights(weights)
        backups = [layer.get_weights() for layer in self.inner_layers()]
        try:
            for layer, part in zip(self.inner_layers(), parts):
                layer.set_weights(part)
        except Exception:
            for layer, old in zip(self.inner_layers(), backups):
                layer.set_weights(old)
            raise

    def count_params(self):
        if not self.built:
            raise RuntimeError("You tried to call `count_params` on %s, but the layer isn't built."
                               % self.name)
        return sum(layer.count_params() for layer in self.inner_layers())

    def constraints(self):
        found = {}
        for layer in self.inner_layers():
            found.update(layer.constraints())
        return found

    def regularization_losses(self):
        return [loss for layer in self.inner_layers() for loss in layer.regularization_losses()]

    def reset_states(self):
        for layer in self.inner_layers():
            if hasattr(layer, "reset_states"):
                layer.reset_states()

    # -- config ---------------------------------------------------------------------------
    def get_config(self):
        config = super().get_config()
        config["layer"] = {"class_name": type(self.layer).__name__,
                           "config": self.layer.get_config()}
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuild the wrapper and its inner layer (``custom_objects``/``safe_mode`` as in
        ``load_model``)."""
        config = dict(config)
        if "layer" not in config:
            raise ValueError("%s.from_config: the config has no 'layer' entry" % cls.__name__)
        inner = config.pop("layer")
        if not isinstance(inner, dict) or "class_name" not in inner:
            raise ValueError("%s: the 'layer' entry of the config must be a dict with 'class_name' "
                             "and 'config'; got %r" % (cls.__name__, inner))
        layer = layer_from_config(inner, custom_objects, safe_mode)
        return cls(layer, **config)
