"""Run an unmodified Keras-1 script on keras_compat: ``python -m keras_compat script.py [args...]``.

The runner never edits the script. It applies the options, installs the ``import keras``
hook, makes ``sys.argv`` and ``sys.path[0]`` look as they would under ``python script.py``
(``runpy.run_path`` alone leaves ``sys.path[0]`` pointing at the runner, so sibling
helper modules would not import), runs the script as ``__main__`` and returns its exit code.
"""
import os
import runpy
import sys
import traceback

# keras_compat modules are imported inside the functions that need them: the backend imports
# torch, and `--help`, a usage error or `--version` must answer without that wait.

__all__ = ["SUBCOMMANDS", "RunOptions", "Subcommand", "UsageError", "main", "parse_run_args",
           "run", "usage"]

PROG = "keras-compat"

USAGE = """\
usage: python -m keras_compat [options] script.py [script args...]
       python -m keras_compat [options] -m package.module [module args...]
       keras-compat run [options] script.py [script args...]
       keras-compat port MODEL --out mymodel.py [port options]

Run a Keras 1.2.2 script unmodified on PyTorch: `import keras` resolves to keras_compat.

options (they must come before the script; everything after it belongs to the script):
  --dim-ordering th|tf       image_dim_ordering for the run (overrides ~/.keras/keras.json)
  --backend theano|tensorflow
                             the Keras-1 backend whose numerics are emulated
  --device cpu|cuda|cuda:N   the torch device to train and predict on
  --precision bfloat16|float16
                             mixed precision (autocast, float32 master weights; float16 with
                             loss scaling); default float32, Keras 1's arithmetic;
                             also env KERAS_COMPAT_PRECISION
  --seed N                   seed Python's random, numpy and torch before the script starts
  --max-epochs N             cap every fit/fit_generator at N epochs (smoke tests);
                             also env KERAS_COMPAT_MAX_EPOCHS
  --max-steps N              cap every epoch at N batches (generator steps);
                             also env KERAS_COMPAT_MAX_STEPS
  --legacy-numpy             restore removed NumPy aliases (np.float...) and NumPy 1.x scalar printing
                             with one warning per alias used (the default)
  --no-legacy-numpy          leave NumPy as it is
  --reuse-memory             keep freed memory in the process for the next batch (glibc's
                             malloc on Linux; see keras_compat/_malloc.py) (the default)
  --no-reuse-memory          leave malloc's settings as they are
  -m MODULE                  run a module (like python -m) instead of a script file
  --nproc-per-node N         run N processes data-parallel: hands over to torch.distributed.run
                             (torchrun), each process runs the script; fit's batch_size stays the
                             global batch (see migration_guide/scaling.md)
  --nnodes, --node-rank, --rdzv-backend, --rdzv-endpoint, --rdzv-id, --rdzv-conf,
  --master-addr, --master-port, --max-restarts, --standalone, ...
                             torchrun's launch options, passed to it unchanged
  --version                  print the keras_compat version and exit
  -h, --help                 show this message and exit
  --                         end of options: the next argument is the script
"""

USAGE_END = """
`keras-compat COMMAND --help` shows a command's own options. See migration_guide/running.md.
"""

_CHOICES = {
    "--dim-ordering": ("th", "tf"),
    "--backend": ("theano", "tensorflow"),
    # keras_compat.training.precision.CHOICES (not imported: it needs torch)
    "--precision": ("float32", "bfloat16", "float16"),
}
_VALUE_OPTIONS = ("--dim-ordering", "--backend", "--device", "--precision", "--seed",
                  "--max-epochs", "--max-steps")
_FLAG_OPTIONS = {"--legacy-numpy": ("legacy_numpy", True),
                 "--no-legacy-numpy": ("legacy_numpy", False),
                 "--reuse-memory": ("reuse_memory", True),
                 "--no-reuse-memory": ("reuse_memory", False)}
# torchrun's (torch.distributed.run) launch options: any of them hands the run over to it.
# Spelled with '-' here; torchrun also accepts '_', and so does the runner.
TORCHRUN_VALUE_OPTIONS = ("--nproc-per-node", "--nnodes", "--node-rank", "--rdzv-backend",
                          "--rdzv-endpoint", "--rdzv-id", "--rdzv-conf", "--master-addr",
                          "--master-port", "--local-addr", "--max-restarts", "--monitor-interval",
                          "--start-method", "--role", "--log-dir", "--redirects", "--tee",
                          "--local-ranks-filter")
TORCHRUN_FLAG_OPTIONS = ("--standalone",)
_CAP_VARIABLES = {"max_epochs": "KERAS_COMPAT_MAX_EPOCHS", "max_steps": "KERAS_COMPAT_MAX_STEPS"}


class UsageError(Exception):
    """Bad command line, a missing script, or a Keras that is already imported (exit code 2)."""


class RunOptions:
    """What the command line asked for: the settings, and the script or module with its args."""

    def __init__(self):
        self.dim_ordering = None
        self.backend = None
        self.device = None
        self.precision = None
        self.seed = None
        self.max_epochs = None
        self.max_steps = None
        self.legacy_numpy = True
        self.reuse_memory = True
        self.script = None
        self.module = None
        self.args = []
        self.show_version = False
        self.show_help = False
        self.launcher = []  # torchrun options: run data-parallel through torch.distributed.run
        self.worker_argv = []  # what each torchrun worker gives `python -m keras_compat`

    def __repr__(self):
        return "RunOptions(%s)" % ", ".join("%s=%r" % item for item in sorted(vars(self).items()))


def parse_run_args(argv):
    """Parse ``[options] (script | -m module) [args...]``; options stop at the script.

    Hand-written rather than argparse so that every argument after the script, including
    ones that look like our own options (``script.py --seed 3``), reaches the script intact.
    """
    options = RunOptions()
    options.launcher, argv = _split_launcher_options(list(argv))
    options.worker_argv = list(argv)
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            options.show_help = True
            return options
        if arg == "--version":
            options.show_version = True
            return options
        if arg == "--":
            i += 1
            break
        if arg == "-m":
            if i + 1 >= len(argv):
                raise UsageError("option -m needs a module name")
            options.module = argv[i + 1]
            options.args = argv[i + 2:]
            return options
        if arg in _FLAG_OPTIONS:
            attribute, value = _FLAG_OPTIONS[arg]
            setattr(options, attribute, value)
            i += 1
            continue
        name, has_inline, inline = arg.partition("=")
        if name in _VALUE_OPTIONS:
            if has_inline:
                value = inline
            elif i + 1 < len(argv):
                i += 1
                value = argv[i]
            else:
                raise UsageError("option %s needs a value" % name)
            _set_option(options, name, value)
            i += 1
            continue
        if arg.startswith("-") and arg != "-":
            raise UsageError("unknown option %r (options go before the script)" % arg)
        break
    if i >= len(argv):
        raise UsageError("no script given")
    options.script = argv[i]
    options.args = argv[i + 1:]
    return options


def _torchrun_name(arg):
    name = arg.partition("=")[0]
    return "--" + name[2:].replace("_", "-") if name.startswith("--") else name


def _split_launcher_options(argv):
    """torchrun's options (before the script) apart from the runner's own: (launcher, rest)."""
    launcher, rest = [], []
    i = 0
    while i < len(argv):
        arg = argv[i]
        name = _torchrun_name(arg)
        if arg in ("--", "-m") or not arg.startswith("-") or arg == "-":
            break
        if name in TORCHRUN_FLAG_OPTIONS:
            launcher.append(name)
        elif name in TORCHRUN_VALUE_OPTIONS:
            if "=" in arg:
                launcher.append("%s=%s" % (name, arg.partition("=")[2]))
            elif i + 1 < len(argv):
                launcher += [name, argv[i + 1]]
                i += 1
            else:
                raise UsageError("option %s needs a value" % name)
        else:
            rest.append(arg)
            if arg.partition("=")[0] in _VALUE_OPTIONS and "=" not in arg and i + 1 < len(argv):
                rest.append(argv[i + 1])
                i += 1
        i += 1
    return launcher, rest + argv[i:]


def torchrun_argv(options):
    """The argument list for ``torch.distributed.run.main``: the launch options, then each
    worker runs ``python -m keras_compat`` with the runner's own options and the script."""
    return list(options.launcher) + ["-m", "keras_compat"] + list(options.worker_argv)


def _launch(options):
    """Hand the run over to torchrun, which starts the workers and waits for them."""
    from torch.distributed import run as torchrun  # imports torch: only for a data-parallel run
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError

    try:
        torchrun.main(torchrun_argv(options))
    except ChildFailedError:
        return 1  # torchrun has printed which rank failed and why
    return 0


def _set_option(options, name, value):
    if name in _CHOICES and value not in _CHOICES[name]:
        raise UsageError("%s must be one of %s, not %r" % (name, "|".join(_CHOICES[name]), value))
    if name == "--dim-ordering":
        options.dim_ordering = value
    elif name == "--backend":
        options.backend = value
    elif name == "--device":
        options.device = value
    elif name == "--precision":
        options.precision = value
    elif name == "--seed":
        try:
            options.seed = int(value)
        except ValueError:
            raise UsageError("--seed needs an integer, not %r" % value) from None
    elif name in ("--max-epochs", "--max-steps"):
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise UsageError("%s needs a positive integer, not %r" % (name, value))
        setattr(options, name[2:].replace("-", "_"), number)


def _version_text():
    try:
        import keras_compat
        version = getattr(keras_compat, "__version__", None)
    except ImportError:
        version = None
    if version is None:
        try:
            from importlib.metadata import version as dist_version
            version = dist_version("keras-compat")
        except Exception:  # not installed as a distribution either
            version = "unknown"
    return "keras_compat %s (Keras 1.2.2 API on PyTorch)" % version


def _apply_settings(options):
    from keras_compat.backend import config

    try:
        if options.dim_ordering is not None:
            config.set_image_dim_ordering(options.dim_ordering)
        if options.backend is not None:
            config.set_backend(options.backend)
        if options.device is not None:
            from keras_compat.backend import device  # imports torch: only when asked for

            device.set_device(options.device)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if options.precision is not None:
        # Through the environment, so that the trainers and child processes see it.
        os.environ["KERAS_COMPAT_PRECISION"] = options.precision
    if options.seed is not None:
        _seed_everything(options.seed)
    for attribute, variable in _CAP_VARIABLES.items():
        # Through the environment, so that the training loop and child processes see it.
        if getattr(options, attribute) is not None:
            os.environ[variable] = str(getattr(options, attribute))
    from keras_compat.training import caps

    try:  # a bad value in the environment is reported now, not at the first fit()
        caps.cap_steps()
        caps.cap_epochs(1)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if options.legacy_numpy:
        from keras_compat import _legacy_numpy

        _legacy_numpy.install()
    if options.reuse_memory:
        from keras_compat import _malloc

        _malloc.reuse_freed_memory()
    _headless_plotting()


def _headless_plotting():
    """Without a display, plot through Agg so that ``plt.show()`` returns at once."""
    if sys.platform in ("win32", "darwin") or os.environ.get("DISPLAY") \
            or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("MPLBACKEND"):
        return
    os.environ["MPLBACKEND"] = "Agg"
    import warnings

    warnings.filterwarnings("ignore", message=".*non-interactive, and thus cannot be shown")


def _seed_everything(seed):
    import random

    import numpy
    import torch  # only for --seed (see the note on imports at the top)

    random.seed(seed)
    numpy.random.seed(seed % 2 ** 32)
    torch.manual_seed(seed)


def _install_hook():
    from keras_compat._importer import install

    try:
        install()
    except RuntimeError as exc:
        raise UsageError(str(exc)) from None


def _check_script(path):
    if not os.path.exists(path):
        raise UsageError("can't open file %r: no such file" % path)
    if os.path.isdir(path) and not os.path.exists(os.path.join(path, "__main__.py")):
        raise UsageError("can't find '__main__.py' in directory %r" % path)


def _check_module(options):
    """Find the -m module (importing its parent packages, as python -m does) before running it."""
    import importlib.util

    if not options.module or options.module.startswith("."):
        raise UsageError("-m needs an absolute module name, not %r" % options.module)
    sys.path[0] = os.getcwd()  # what python -m puts there (a console script has its bin dir)
    try:
        found = importlib.util.find_spec(options.module) is not None
    except ImportError:
        found = False
    if not found:
        raise UsageError("no module named %r" % options.module)


def _execute(options):
    if options.script is not None:
        script = options.script
        sys.argv = [script] + list(options.args)
        directory = script if os.path.isdir(script) else os.path.dirname(script)
        sys.path[0] = os.path.abspath(directory)
        runpy.run_path(script, run_name="__main__")
    else:
        sys.argv = [options.module] + list(options.args)  # runpy sets argv[0] to the file
        runpy.run_module(options.module, run_name="__main__", alter_sys=True)


def _exit_code(exc):
    """The process exit status Python would give for ``raise SystemExit(exc.code)``."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _report_uncaught(exc_type, exc, tb):
    """Report an exception from the script as Python would, without the runner's frames."""
    ours = {_report_uncaught.__code__.co_filename, runpy.run_path.__code__.co_filename}
    while tb is not None and tb.tb_frame.f_code.co_filename in ours:
        tb = tb.tb_next
    exc.__traceback__ = tb  # the default excepthook prints the exception's own traceback
    try:
        sys.excepthook(exc_type, exc, tb)
    except Exception:
        traceback.print_exception(exc_type, exc, tb)


def run(argv):
    """``[options] script.py [args]`` or ``[options] -m module [args]`` → exit status."""
    try:
        options = parse_run_args(argv)
        if options.show_help:
            sys.stdout.write(usage())
            return 0
        if options.show_version:
            print(_version_text())
            return 0
        if options.script is not None:
            _check_script(options.script)
        if options.launcher:
            return _launch(options)
        _apply_settings(options)
        _install_hook()
        if options.module is not None:
            _check_module(options)
    except UsageError as exc:
        sys.stderr.write("%s: error: %s\n" % (PROG, exc))
        return 2
    try:
        _execute(options)
    except SystemExit as exc:
        return _exit_code(exc)
    except KeyboardInterrupt:
        _report_uncaught(*sys.exc_info())
        return 130
    except BaseException:
        _report_uncaught(*sys.exc_info())
        return 1
    return 0


# Subcommands are dispatched on the first argument; `port` and friends can be added here.
def _port(argv):
    # Loaded only for this subcommand (torch and every layer, too slow for `run`'s start);
    # keras_compat.models registers Sequential and Model, which the file's config names.
    import keras_compat.models  # noqa: F401
    from keras_compat.port import cli as port_cli
    return port_cli.main(argv)


class Subcommand:
    """A command dispatched on the first argument: its handler(argv) -> exit status, and the
    one line that ``keras-compat --help`` shows for it."""

    def __init__(self, handler, summary):
        self.handler = handler
        self.summary = summary


SUBCOMMANDS = {
    "run": Subcommand(run, "run a Keras-1 script unmodified (the same as giving the script)"),
    "port": Subcommand(_port, "turn a Keras-1 model file into plain PyTorch source + weights"),
}


def usage():
    """The help text: the runner's usage and options, then one line per command."""
    lines = [USAGE, "commands:"]
    for name, command in SUBCOMMANDS.items():
        lines.append("  %-26s %s" % (name, command.summary))
    return "\n".join(lines) + "\n" + USAGE_END


def main(argv=None):
    """Entry point of ``python -m keras_compat`` and the ``keras-compat`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        sys.stderr.write(usage())
        return 2
    command = SUBCOMMANDS.get(argv[0])
    if command is not None:
        return command.handler(argv[1:])
    first = argv[0]
    if not first.startswith("-") and not first.endswith(".py") and not os.path.exists(first):
        sys.stderr.write("%s: error: %r is neither a script nor a command (commands: %s)\n"
                         % (PROG, first, ", ".join(sorted(SUBCOMMANDS))))
        return 2
    return run(argv)
