"""Synthetic 12x12 greyscale images, channels first: class 0 has a horizontal bar, class 1 a
vertical one, both on noise. Deterministic for a given seed; needs only NumPy."""
import numpy as np


def make_data(n, seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(0, 0.5, size=(n, 1, 12, 12)).astype('float32')
    y = rng.randint(0, 2, size=n)
    where = rng.randint(1, 11, size=n)
    for i in range(n):
        if y[i] == 0:
            X[i, 0, where[i], 1:11] += 0.5
        else:
            X[i, 0, 1:11, where[i]] += 0.5
    return X, y
