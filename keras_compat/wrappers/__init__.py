"""``keras.wrappers``: the scikit-learn wrappers (``keras.wrappers.scikit_learn``)."""
