"""Reading and writing models and weights (.pt natively; Keras-1 JSON configs)."""
