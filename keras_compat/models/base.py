"""What ``Sequential`` and ``Model`` share: Keras 1's model attributes, layer lookup, generators.

Keras 1 made ``Sequential`` a wrapper around a functional ``Model`` (``model.model``); here both
classes derive from ``ModelBase``, which reads everything from ``model.layers`` and the model's
graph tensors (``inputs``/``outputs``), so the attribute surface lives once.
"""
import warnings

from keras_compat.models.serialization import ModelSerialization

# Keras-1 layers whose output differs between training and test phase (their
# ``uses_learning_phase`` was True), for layers that do not declare the attribute themselves.
_PHASE_DEPENDENT_LAYERS = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                           "GaussianNoise", "GaussianDropout")


def _layer_uses_learning_phase(layer):
    declared = getattr(layer, "uses_learning_phase", None)
    if declared is not None:
        return bool(declared)
    name = type(layer).__name__
    if name == "BatchNormalization":
        return getattr(layer, "mode", 0) == 0
    if name in _PHASE_DEPENDENT_LAYERS:
        return True
    inner = getattr(layer, "layer", None)  # TimeDistributed / Bidirectional
    return inner is not None and _layer_uses_learning_phase(inner)


class ConstraintDict(dict):
    """``model.constraints``: Keras 1's dict ``{weight: constraint}``; calling it returns the
    same dict (the trainer's ``model.constraints()`` protocol)."""

    def __call__(self):
        return self

    def __hash__(self):
        return id(self)


class ModelBase(ModelSerialization):
    """Keras 1 model surface over ``layers``, ``inputs`` and ``outputs`` (Sequential and Model)."""

    # -- layers ---------------------------------------------------------------------------------
    def get_layer(self, name=None, index=None):
        """A layer by name, or by index in ``model.layers`` (Keras 1.2.2)."""
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError("Was asked to retrieve layer at index %d but model only has %d "
                                 "layers." % (index, len(layers)))
            return layers[index]
        if not name:
            raise ValueError("Provide either a layer name or layer index.")
        for layer in self._named_layers():
            if layer.name == name:
                return layer
        raise ValueError("No such layer: %s" % name)

    def _named_layers(self):
        return self.layers

    @property
    def flattened_layers(self):
        """Keras 1.2.2 kept this name (deprecated) for ``layers``."""
        return self.layers

    # -- state and phase --------------------------------------------------------------------------
    @property
    def uses_learning_phase(self):
        """Whether some layer computes differently in training and test (Dropout, noise, BN)."""
        return any(_layer_uses_learning_phase(layer) for layer in self.layers)

    @property
    def stateful(self):
        return any(bool(getattr(layer, "stateful", False)) for layer in self.layers)

    def reset_states(self):
        """Reset the state of every stateful layer (Keras 1's ``model.reset_states()``)."""
        for layer in self.layers:
            if hasattr(layer, "reset_states") and (getattr(layer, "stateful", False)
                                                   or isinstance(layer, ModelBase)):
                layer.reset_states()

    @property
    def state_updates(self):
        """The state tensors of the stateful layers, as Keras 1's ``(variable, new value)`` pairs.

        Torch updates the states in place during ``forward``, so each pair holds the same
        buffer twice: its value is the state after the last batch.
        """
        found = []
        for layer in self.layers:
            if isinstance(layer, ModelBase):
                found.extend(layer.state_updates)
            elif getattr(layer, "stateful", False):
                found.extend((state, state) for state in getattr(layer, "states", ()) or ())
        return found

    @property
    def updates(self):
        """Keras 1's update list: every layer's ``updates`` (BatchNormalization's moving
        statistics, stateful layers' states; torch updates them in place during ``forward``)."""
        return [update for layer in self.layers for update in getattr(layer, "updates", ())]

    @property
    def losses(self):
        """Every layer's ``losses`` (regularization penalties as torch scalars; an activity
        penalty is listed as soon as its layer is connected, as in Keras 1)."""
        return [loss for layer in self.layers for loss in layer.losses]

    @property
    def regularizers(self):
        """Deprecated in Keras 1.2.2, where it already returned an empty list."""
        warnings.warn("The `regularizers` attribute of layers/models is deprecated. Regularization "
                      "losses are now managed via the `losses` layer/model property.\nThe "
                      "`regularizers` attribute will be removed after 06/2017.")
        return []

    @property
    def constraints(self):
        """``{parameter: constraint}`` over every layer (callable: returns itself)."""
        found = ConstraintDict()
        for layer in self.layers:
            found.update(layer.constraints())
        return found

    # -- compile results ------------------------------------------------------------------------
    @property
    def metrics(self):
        """The ``metrics`` argument given to ``compile`` (Keras 1 kept it as given)."""
        args = self.__dict__.get("_compile_args")
        if args is None:
            raise AttributeError("%s has no attribute 'metrics' before compile()"
                                 % type(self).__name__)
        return args["metrics"]

    @property
    def total_loss(self):
        """The total loss (weighted outputs' losses plus penalties) of the last training batch,
        a 0-d torch tensor still attached to its autograd graph; None until a batch has run.
        Keras 1 held a symbolic expression here; on torch the loss exists only once computed."""
        if self.__dict__.get("_compile_args") is None:
            raise AttributeError("%s has no attribute 'total_loss' before compile()"
                                 % type(self).__name__)
        trainer = self.__dict__.get("_trainer")
        return getattr(trainer, "last_total_loss", None)

    # -- Keras 1's compiled-function hooks -------------------------------------------------------
    # Keras 1 compiled backend functions lazily; scripts (and its own tests) call these to force
    # it.  Torch runs the model eagerly, so there is nothing to build.
    def _make_train_function(self):
        return None

    def _make_test_function(self):
        return None

    def _make_predict_function(self):
        return None

    # -- generators -----------------------------------------------------------------------------
    def fit_generator(self, generator, samples_per_epoch=None, nb_epoch=None, **kwargs):
        from keras_compat.training import generators
        return generators.fit_generator(self, generator, samples_per_epoch, nb_epoch, **kwargs)

    def evaluate_generator(self, generator, val_samples=None, **kwargs):
        from keras_compat.training import generators
        return generators.evaluate_generator(self, generator, val_samples, **kwargs)

    def predict_generator(self, generator, val_samples=None, **kwargs):
        from keras_compat.training import generators
        return generators.predict_generator(self, generator, val_samples, **kwargs)
