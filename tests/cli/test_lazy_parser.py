"""The parser built command by command equals the full one (issue 11: `nudipole --help`
imports no command)."""

import argparse
import subprocess
import sys

from nudipole.cli._commands import COMMANDS
from nudipole.cli.main import build_parser


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_each_adder_registers_its_command_with_its_help() -> None:
    full = build_parser()
    assert list(_subcommands(full)) == list(COMMANDS)
    assert full.format_help() == build_parser(full=()).format_help()
    for name in COMMANDS:
        one = _subcommands(build_parser(full={name}))
        assert one[name].format_help() == _subcommands(full)[name].format_help()


def test_top_level_help_imports_no_command() -> None:
    code = (
        "import sys\n"
        "from nudipole.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m == 'numpy' or m.startswith('nudipole.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == str(
        sorted(["nudipole._version", "nudipole.cli", "nudipole.cli._commands", "nudipole.cli.main"])
    )
