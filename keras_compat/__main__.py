"""``python -m keras_compat [options] script.py [args...]``: see keras_compat._runner."""
import sys

from keras_compat._runner import main

if __name__ == "__main__":
    sys.exit(main())
