"""The command line's help: every sub-command listed with its one line, each `--help` answers."""
import subprocess
import sys

import pytest

from keras_compat._runner import SUBCOMMANDS, main

COMMAND_LINES = [
    "  run                        run a Keras-1 script unmodified (the same as giving the script)",
    "  port                       turn a Keras-1 model file into plain PyTorch source + weights",
]


def _command_section(text):
    lines = text.splitlines()
    start = lines.index("commands:") + 1
    end = lines.index("", start)
    return lines[start:end]


def test_help_lists_every_subcommand_with_one_line(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m keras_compat [options] script.py")
    assert _command_section(out) == COMMAND_LINES
    assert [line.split()[0] for line in COMMAND_LINES] == list(SUBCOMMANDS)
    assert "`keras-compat COMMAND --help` shows a command's own options." in out


def test_no_arguments_print_the_same_help_on_stderr(capsys):
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert _command_section(captured.err) == COMMAND_LINES


def test_run_help_is_the_runner_usage(capsys):
    assert main(["run", "--help"]) == 0
    assert main(["run", "-h"]) == 0
    first, second = capsys.readouterr().out.split("usage: ")[1:]
    assert first == second
    assert "--dim-ordering th|tf" in first


def test_port_help_lists_its_options(capsys):
    assert main(["port", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: keras-compat port [-h]")
    for option in ("--weights", "--original-backend", "--class-name", "--out", "-q, --quiet"):
        assert option in out, option


def test_unknown_command_names_the_commands(capsys):
    assert main(["prot"]) == 2
    assert capsys.readouterr().err == ("keras-compat: error: 'prot' is neither a script nor "
                                       "a command (commands: port, run)\n")


@pytest.mark.parametrize("arguments", [["--help"], ["port", "--help"]])
def test_help_from_python_dash_m(arguments):
    done = subprocess.run([sys.executable, "-m", "keras_compat"] + arguments,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    if arguments == ["--help"]:
        assert _command_section(done.stdout) == COMMAND_LINES
    else:
        assert done.stdout.startswith("usage: keras-compat port")
