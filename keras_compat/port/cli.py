"""``keras-compat port``: a Keras-1 model file -> readable PyTorch source + converted weights.

    keras-compat port MODEL [--weights W] [--original-backend theano|tensorflow]
                      [--original-dim-ordering th|tf] [--backend theano|tensorflow]
                      [--dim-ordering th|tf]
                      [--torch-module LAYER=package.module:factory ...]
                      [--class-name NAME] [--quiet] --out mymodel.py

MODEL is a ``model.save`` file (.h5 from Keras 1, or a keras_compat .pt) or an architecture
file (``to_json`` .json / ``to_yaml`` .yaml), which then needs ``--weights``. Writes
``mymodel.py`` (an ``nn.Module`` class using only torch) and ``mymodel.pt`` (its
``state_dict``), then checks the port: it imports the written file, loads the weights with
``torch.load(..., weights_only=True)``, runs it and the Keras model on a random input and
prints the largest difference (exit status 1 if it exceeds 1e-4).

A step (loading, tracing, writing, checking) that runs for more than a second is named on
stderr when that second has passed and its duration is printed when it ends; quicker steps
print nothing, and ``--quiet`` silences them all.

The model file is loaded in safe mode (nothing it names runs) and names from it reach the
written source only as sanitised identifiers and escaped comments, checked on the syntax
tree before writing (migration_guide/security.md).

A ``TorchModule`` layer wraps a torch module, which is code the file cannot carry: name the
function that builds it with ``--torch-module LAYER=package.module:factory`` (``factory()``
is called with no arguments; LAYER is the layer's name or the module's class name, as in
``custom_objects``). That names code on the command line, never from the file. The written
class then takes each such module as an ``__init__`` argument named after its layer and
imports nothing of it (its weights are in the ``.pt``).
"""
import argparse
import contextlib
import copy
import importlib.util
import sys
import threading
import time

import numpy as np
import torch

from keras_compat.backend import config
from keras_compat.layers import Embedding
from keras_compat.port.generate import generate_port, input_consumers
from keras_compat.saving import model_config, model_io
from keras_compat.saving.atomic import atomic_path

PROG = "keras-compat port"
TOLERANCE = 1e-4
SLOW_STEP_SECONDS = 1.0


def _start_daemon_timer(delay, action):
    timer = threading.Timer(delay, action)
    timer.daemon = True  # a step that never ends must not keep the process alive
    timer.start()
    return timer


class StepProgress:
    """Tells on stderr what a slow step is doing, so a long port does not look hung.

    A timer names the step once it has run for ``SLOW_STEP_SECONDS`` and its duration is
    printed when it ends; a step that ends sooner prints nothing. ``clock`` and
    ``start_timer(delay, action) -> object with cancel()`` are parameters so that tests can
    drive time by hand.
    """

    def __init__(self, quiet=False, clock=time.monotonic, start_timer=_start_daemon_timer):
        self.quiet = quiet
        self.clock = clock
        self.start_timer = start_timer
        self._lock = threading.Lock()

    def _write(self, line):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    @contextlib.contextmanager
    def step(self, description):
        if self.quiet:
            yield
            return
        state = {"announced": False, "finished": False}

        def announce():
            with self._lock:  # the step may be ending in the main thread at this moment
                if not state["finished"]:
                    state["announced"] = True
                    self._write("%s..." % description)

        started = self.clock()
        timer = self.start_timer(SLOW_STEP_SECONDS, announce)
        outcome = "failed after"
        try:
            yield
            outcome = "done in"
        finally:
            timer.cancel()
            with self._lock:
                state["finished"] = True
                elapsed = self.clock() - started
                if state["announced"] or elapsed > SLOW_STEP_SECONDS:
                    self._write("%s: %s %.1f s" % (description, outcome, elapsed))


def _parser():
    parser = argparse.ArgumentParser(prog=PROG, description="Port a Keras-1 model to plain "
                                     "PyTorch source (see migration_guide/porting.md).")
    parser.add_argument("model", help="model.save file (.h5/.pt) or architecture (.json/.yaml)")
    parser.add_argument("--weights", help="weights file (.h5 from save_weights, or .pt)")
    parser.add_argument("--original-backend", choices=("theano", "tensorflow"),
                        help="the Keras-1 backend that trained the model (detected from weight "
                             "names when possible)")
    parser.add_argument("--backend", choices=("theano", "tensorflow"),
                        help="the backend whose numerics the port reproduces (default: the "
                             "original backend when known, else keras.json's)")
    parser.add_argument("--original-dim-ordering", choices=("th", "tf"),
                        help="the ordering the --weights file was trained in, when the "
                             "architecture uses the other one (kernels and Flatten->Dense rows "
                             "are converted)")
    parser.add_argument("--dim-ordering", choices=("th", "tf"),
                        help="image_dim_ordering for layers whose config says 'default'")
    parser.add_argument("--torch-module", action="append", default=[], metavar="LAYER=MOD:FN",
                        help="build the torch module of TorchModule layer LAYER (or of class "
                             "LAYER) by importing MOD and calling FN() (repeatable)")
    parser.add_argument("--class-name", default="PortedModel", help="name of the nn.Module class")
    parser.add_argument("--out", required=True, help="the .py file to write")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print no progress for slow steps on stderr")
    return parser


def _torch_module_factories(specs):
    """``custom_objects`` from ``--torch-module LAYER=package.module:factory`` options: the
    user names the code to import on the command line (a model file never does)."""
    found = {}
    for spec in specs:
        key, _, target = spec.partition("=")
        module_name, _, attribute = target.partition(":")
        if not (key and module_name and attribute):
            raise ValueError("--torch-module %r: expected LAYER=package.module:factory" % spec)
        factory = importlib.import_module(module_name)
        for part in attribute.split("."):
            factory = getattr(factory, part, None)
        if not callable(factory):
            raise ValueError("--torch-module %r: %s has no callable %s"
                             % (spec, module_name, attribute))
        found[key] = factory
    return found


def _load(args):
    custom_objects = _torch_module_factories(args.torch_module) or None
    lower = args.model.lower()
    if lower.endswith((".json", ".yaml", ".yml")):
        if not args.weights:
            raise ValueError("%s holds only the architecture: pass --weights" % args.model)
        with open(args.model) as handle:
            text = handle.read()
        model = (model_io.model_from_yaml(text, custom_objects)
                 if lower.endswith((".yaml", ".yml"))
                 else model_config.model_from_json(text, custom_objects))
        model.load_weights(args.weights, original_backend=args.original_backend,
                           original_dim_ordering=args.original_dim_ordering)
        return model
    model = model_io.load_model(args.model, custom_objects, compile=False,
                                original_backend=args.original_backend)
    if args.weights:
        model.load_weights(args.weights, original_backend=args.original_backend,
                           original_dim_ordering=args.original_dim_ordering)
    return model


def _random_inputs(model):
    """One random batch per model input: token ids where an Embedding reads it."""
    rng = np.random.RandomState(0)
    arrays = []
    for shape, consumers in input_consumers(model):
        batch = shape[0] if shape[0] is not None else 2  # a stateful model fixes its batch
        full = (batch,) + tuple(d if d is not None else 4 for d in shape[1:])
        embeddings = [layer for layer in consumers if isinstance(layer, Embedding)]
        if embeddings:
            arrays.append(rng.randint(0, min(e.input_dim for e in embeddings),
                                      size=full).astype("float32"))
        else:
            arrays.append(rng.rand(*full).astype("float32"))
    return arrays


def port(args, progress=None):
    progress = progress if progress is not None else StepProgress(quiet=True)
    if args.dim_ordering:
        config.set_image_dim_ordering(args.dim_ordering)
    if args.backend or args.original_backend:
        config.set_backend(args.backend or args.original_backend)
    with progress.step("loading %s" % args.model):
        model = _load(args)
    with progress.step("tracing the model into PyTorch source"):
        source, state, modules = generate_port(model, args.class_name)
    out = args.out if args.out.endswith(".py") else args.out + ".py"
    weights_path = out[:-3] + ".pt"
    with progress.step("writing %s and %s" % (out, weights_path)):
        with atomic_path(out) as temp:
            with open(temp, "w") as handle:
                handle.write(source)
        with atomic_path(weights_path) as temp:
            torch.save(state, temp)
    with progress.step("checking the port against the Keras model"):
        # import the written file as a plain module, load the weights safely, compare
        spec = importlib.util.spec_from_file_location("_keras_compat_port_check", out)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        ported = getattr(module, args.class_name)(**{name: copy.deepcopy(wrapped)
                                                     for name, wrapped in modules.items()})
        ported.load_state_dict(torch.load(weights_path, weights_only=True))
        ported.eval()
        inputs = _random_inputs(model)
        expected = model.predict(inputs if len(inputs) > 1 else inputs[0],
                                 batch_size=len(inputs[0]))
        with torch.no_grad():
            got = ported(*[torch.from_numpy(x) for x in inputs])
    expected = expected if isinstance(expected, list) else [expected]
    got = list(got) if isinstance(got, tuple) else [got]
    diff = max(float(np.abs(g.numpy() - e).max()) for g, e in zip(got, expected))
    print("wrote %s (class %s) and %s" % (out, args.class_name, weights_path))
    if modules:
        print("%s takes the torch modules of its TorchModule layers as arguments: %s(%s)"
              % (args.class_name, args.class_name,
                 ", ".join("%s=..." % name for name in modules)))
    print("max |torch - keras| on random input%s of shape %s: %.3g"
          % ("s" if len(inputs) > 1 else "", ", ".join(str(x.shape) for x in inputs), diff))
    return 0 if diff <= TOLERANCE else 1


def main(argv):
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return port(args, StepProgress(quiet=args.quiet))
    except (ValueError, ImportError, FileNotFoundError) as exc:
        sys.stderr.write("%s: error: %s\n" % (PROG, exc))
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
