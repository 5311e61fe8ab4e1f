"""The words of click and typer that people see in `bulletin --help` and usage errors.

Never imported: it lists them for scripts/catalog.py, so the Chinese catalog translates them too
(click and typer look them up through gettext's global domain, which bulletin.i18n points at ours).
"""
from bulletin.i18n import N_, ngettext

LIBRARY_WORDS = [
    N_("Usage:"), N_("Options"), N_("Arguments"), N_("Commands"), N_("Error"), N_("Error: {message}"),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("Aborted!"), N_("Aborted."),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing command."),
    N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"),
    N_("No such command {name!r}."), N_("No such option {name!r}."),
    N_("Try '{command} {option}' for help."), N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("[default: {}]"), N_("[required]"), N_("(deprecated) "), N_("default: {default}"), N_("required"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."), N_("Choose from:\n\t{choices}"), N_("file"), N_("directory"),
    N_("path"),
    # typer's own words (typer 0.29 and later carry their own click, whose words are plain English that
    # bulletin.cli shows in the reader's language itself; these few typer still looks up)
    N_("(dynamic)"), N_("env var: {var}"),
    # click 8.x's usage errors (an older typer runs on click, which looks them up)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1),
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1),
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1),
    N_("Option {name!r} does not take a value."), N_("Argument {name!r} takes {nargs} values."),
    N_("Could not open file {filename!r}: {message}"), N_("unknown error"),
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{name} {filename!r} is not readable."), N_("{name} {filename!r} is not writable."),
]

# ruamel.yaml's and datetime's reasons, shown after "YAML syntax error:" and "not a date:"; one the
# catalog lacks is left out in Chinese (bulletin.store.loaders.library_reason).
LIBRARY_REASONS = [
    N_("mapping values are not allowed here"), N_("could not find expected ':'"),
    N_("expected ',' or ']', but got ':'"), N_("expected ',' or '}', but got ':'"),
    N_("did not find expected key"), N_("did not find expected '-' indicator"),
    N_("found character '\\t' that cannot start any token"), N_("found undefined alias"),
    N_("expected <block end>, but found '<block mapping start>'"),
    N_("expected <block end>, but found '<block sequence start>'"), N_("expected <block end>, but found '-'"),
    N_("found unexpected end of stream"), N_("found unknown escape character"),
    N_("while scanning a simple key"), N_("while parsing a block mapping"),
    N_("month must be in 1..12"), N_("day is out of range for month"), N_("year 0 is out of range"),
    N_("invalid YAML"),
]

