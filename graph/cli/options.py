"""The options every command shares (--store, --data, --no-default-data, --json,
--threshold, --known-at) and the settings they make.

One decorator, :func:`shared_options`, gives them to the group and to every command,
so that they may stand before or after a command's name; a command that has no use
for one refuses it with a message (:data:`NOT_FOR`).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from groupkg.graph.cli.errors import UserError
from groupkg.graph.dates import parse_date
from groupkg.graph.errors import InputError
from groupkg.graph.formats.inputs import add_files, data_target
from groupkg.graph.store import Store, open_store

if TYPE_CHECKING:
    from groupkg.graph.group import Group

__all__ = [
    "Settings",
    "current_settings",
    "shared_options",
    "refuse_unused_options",
    "NOT_FOR",
    "option_day",
    "at_option",
    "rule_names",
]


class Settings:
    """Options that every command accepts, before or after its name."""

    def __init__(self) -> None:
        self.store = "memory"
        self.data: list[str] = []
        self.default_data = True
        self.as_json = False
        self.threshold = 50.0
        #: Answer from what was known on this day (--known-at); None: everything known.
        self.known_at: _dt.date | None = None
        self.given: set[str] = set()
        self.writable = False  # open an oxigraph: store for writing (serve --allow-update)

    def store_named(self, writable: bool) -> Store:
        """The store --store names, without the --data files."""
        try:
            return open_store(self.store, default_data=self.default_data, writable=writable)
        except InputError as exc:
            if exc.field == "store":  # the library's message does not know the option
                raise InputError(f"--store: {exc}", field="store") from None
            raise

    def open(self) -> Store:
        store = self.store_named(self.writable)
        if self.data:
            into, store = data_target(store)
            add_files(into, [Path(p) for p in self.data], names=store)
        return store

    def group(self, *names: str | None, model: bool = False) -> Group:
        """The group a question needs: all of a memory store; of a persistent or
        remote store, only the neighbourhood of the entities the question names. With
        ``model``, an ``oxigraph:PATH`` store answers from its cached time model."""
        from groupkg.graph.group import Group  # analytics load scipy: only when asked

        store = self.open()
        named = [n for n in names if n]
        known_at = self.known_at
        if named and model and store.description.startswith("oxigraph:"):
            return Group.model(store, named, threshold=self.threshold, known_at=known_at)
        if named and store.description != "memory":
            return Group.around(store, named, threshold=self.threshold, known_at=known_at)
        if model and store.description.startswith("oxigraph:"):
            return Group.whole(store, threshold=self.threshold, known_at=known_at)
        return Group(store, threshold=self.threshold, known_at=known_at)


def current_settings() -> Settings:
    """The settings of this run, kept on the root context (the group, or a command run
    on its own)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def _apply(store: str | None, data: tuple[str, ...], no_default_data: bool,
           as_json: bool, threshold: float | None, known_at: str | None) -> None:  # fmt: skip
    settings = current_settings()
    if known_at is not None:
        settings.known_at = parse_date(known_at, "--known-at")
        settings.given.add("--known-at")
    if store:
        settings.store = store
        settings.given.add("--store")
    if data:
        settings.data.extend(data)
        settings.given.add("--data")
    if no_default_data:
        settings.default_data = False
        settings.given.add("--no-default-data")
    if as_json:
        settings.as_json = True
        settings.given.add("--json")
    if threshold is not None:
        # Checked here, where the option arrives before or after any command's name, so
        # that no command (validate, serve given it first) takes an impossible one.
        if not (math.isfinite(threshold) and 0.0 <= threshold <= 100.0):
            raise UserError(f"--threshold: {threshold:g} is not a percent between 0 and 100")
        settings.threshold = threshold
        settings.given.add("--threshold")


# The global options a command has no use for. Given before or after its name, they
# are refused with a message rather than dropped in silence: a user who asks for
# --threshold 40 or --data x.csv must not get an answer that quietly ignored it.
# What was known on a day (--known-at) is a question's: not the store's counts, its
# raw SPARQL, its records (validated, exported, linked) or a write.
_STORE_AS_IT_IS = {"--known-at"}
NOT_FOR = {
    "info": {"--threshold", *_STORE_AS_IT_IS},
    "entity": {"--threshold"},
    "owners": {"--threshold"},
    "holdings": {"--threshold"},
    "effective": {"--threshold"},
    # Each rule set states its own threshold; another is a rule file of its own.
    "control": {"--threshold"},
    "events": {"--threshold"},
    "sparql": {"--threshold", *_STORE_AS_IT_IS},
    "export": {"--json", "--threshold", *_STORE_AS_IT_IS},
    "render": {"--json"},
    "init": {"--data", "--threshold", *_STORE_AS_IT_IS},
    "import": {"--data", "--threshold", *_STORE_AS_IT_IS},
    "validate": _STORE_AS_IT_IS,
    "links": _STORE_AS_IT_IS,
    # The server answers as known on the day each request asks (?known_at=).
    "serve": {"--json", *_STORE_AS_IT_IS},
    "synth": {"--store", "--data", "--no-default-data", "--json", "--threshold", *_STORE_AS_IT_IS},
}


def refuse_unused_options(command: str) -> None:
    """Refuse (exit 2) any global option given that ``command`` has no use for."""
    unused = sorted(current_settings().given & NOT_FOR.get(command, set()))
    if unused:
        raise UserError(f"{command}: {', '.join(unused)} does not apply to this command")


# (option, parameter name, what click is told besides), in the order --help shows them.
_SHARED: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("--store", "store_", {"default": None, "help": "memory | oxigraph:PATH | sparql:URL"}),
    ("--data", "data", {"multiple": True, "help": "Add a file (ttl, nt, jsonld, csv...)."}),
    ("--no-default-data", "no_default_data",
     {"is_flag": True, "help": "Leave the bundled IIJ data out."}),
    ("--json", "as_json", {"is_flag": True, "help": "Answer as JSON."}),
    ("--threshold", "threshold",
     {"type": float, "default": None, "help": "Control threshold in percent."}),
    ("--known-at", "known_at",
     {"default": None, "help": "Answer from what was known on this date YYYY-MM-DD."}),
)  # fmt: skip

CommandT = TypeVar("CommandT", bound=click.Command)


def shared_options(command: CommandT) -> CommandT:
    """Give ``command`` (the group, or one command) the options every command shares.

    They are read into :func:`current_settings` before the command runs, and any the
    command has no use for is refused; such an option is left out of its --help.
    """
    unused = NOT_FOR.get(command.name or "", set())
    taken = {param.name for param in command.params}
    for option, name, settings in _SHARED:
        assert name not in taken, f"{command.name}: {name} is a shared option's name"
        command.params.append(click.Option([option, name], hidden=option in unused, **settings))
    callback = command.callback
    assert callback is not None

    @functools.wraps(callback)
    def with_settings(**kwargs: Any) -> Any:
        _apply(*(kwargs.pop(name) for _, name, _ in _SHARED))
        if isinstance(command, click.Group):
            invoked = click.get_current_context().invoked_subcommand
            if invoked:
                refuse_unused_options(invoked)
        else:
            refuse_unused_options(command.name or "")
        return callback(**kwargs)

    command.callback = with_settings
    return command


# The day a question is asked about: the same option, help and default for each.
at_option = click.option("--at", "at", default=None, help="Date YYYY-MM-DD (default: today).")


def option_day(value: str | None, what: str = "--at") -> _dt.date:
    """The day an option names, or today when it is not given."""
    return parse_date(value, what) if value else _dt.date.today()


def rule_names(value: str | None) -> list[str] | None:
    """The rule sets a ``--rules`` option names (comma-separated), or None for all."""
    return [n.strip() for n in value.split(",") if n.strip()] if value else None
