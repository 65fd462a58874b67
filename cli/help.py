"""The commands' help: argument names people read (``NOTICE…``), no Python type names."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand


class Command(TyperCommand):
    """A command whose help and usage name arguments by their metavar (``NOTICE…``), without the
    ``<list[str]>`` / ``{notice}`` type labels typer adds."""

    @staticmethod
    def _argument_name(param: Any) -> str:
        name = str(param.metavar or param.name.upper())
        return name + ("…" if param.nargs != 1 else "")

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """``[OPTIONS] NOTICE… [TEXT]``."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = self._argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The Arguments and Options sections."""
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((self._argument_name(param), record[1]))
            else:
                options.append(record)
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def use_plain_help(app: typer.Typer) -> None:
    """Give every command of ``app`` (and of its sub-groups) the ``Command`` help format."""
    for info in app.registered_commands:
        if info.cls is None or info.cls is TyperCommand:
            info.cls = Command
    for group in app.registered_groups:
        if group.typer_instance is not None:
            use_plain_help(group.typer_instance)
