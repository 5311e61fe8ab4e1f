"""The CLI's own parser: a group of commands (`bulletin office start`) is declared as a command is,
and parses, helps and refuses as the top level does."""
from __future__ import annotations

import pytest

from bulletin import cli


def _app():
    app = cli.Group("bulletin", "The bulletin.", [cli.Option("--workspace", "-w", help="the workspace")])
    office = app.group("office", "Run LibreOffice on its own.\n\nMore words.")
    called = []

    @office.command("start", "Start it.", cli.Option("--port", type=cli._integer, default=2002, help="the port"),
                    cli.Option("--quiet", flag=True, help="say nothing"))
    def start(port: int, quiet: bool):
        called.append((port, quiet))

    return app, called


def test_a_command_of_a_group_gets_its_values():
    app, called = _app()
    app.run(["-w", "x", "office", "start", "--port", "5", "--quiet"], "bulletin", top=True)
    app.run(["office", "start"], "bulletin", top=True)
    assert called == [(5, True), (2002, False)]


def test_a_group_lists_its_commands_in_its_help():
    app, _called = _app()
    with pytest.raises(cli._Help) as shown:
        app.run(["office", "--help"], "bulletin", top=True)
    text = cli._help_text(shown.value.context)
    assert text.startswith("Usage: bulletin office [OPTIONS] COMMAND [ARGS]...\n")
    assert "  start  Start it." in text and "Run 'bulletin office COMMAND --help'" in text
    with pytest.raises(cli._Help) as shown:
        app.run(["office", "start", "--help"], "bulletin", top=True)
    assert cli._help_text(shown.value.context).startswith("Usage: bulletin office start [OPTIONS]\n")


def test_a_group_refuses_as_the_top_level_does(capsys):
    app, _called = _app()
    for args, message in ((["office"], "Missing command."),
                          (["office", "strat"], "No such command 'strat'. Did you mean 'start'?"),
                          (["office", "start", "--port", "x"],
                           "Invalid value for '--port': Input should be a valid integer, unable to parse string as an integer")):
        with pytest.raises(cli.UsageError) as refused:
            app.run(args, "bulletin", top=True)
        message_shown = refused.value.text() if isinstance(refused.value, cli.BadParameter) else refused.value.message
        assert message_shown == message


def test_the_cli_leaves_its_objects_out_of_the_collections_at_exit(tmp_path):
    """gc.freeze at exit: CPython's last garbage collections over pydantic's objects cost ~30 ms of
    CPU. What exit owes still happens: atexit handlers registered before and after it run, output is flushed."""
    import subprocess
    import sys

    code = ("import atexit, gc\n"
            "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
            "import bulletin.cli\n"
            "atexit.register(lambda: print('later handler ran'))\n"
            "print('frozen before exit:', gc.get_freeze_count() > 0)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["frozen before exit: False", "later handler ran", "frozen at exit: True"]
