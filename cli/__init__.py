"""The ``zhenggai`` command line (typer).  Only the reader commands import textual, and only when run;
plain ``zhenggai [PATH…]`` does not load the command line at all (``launch``)."""

from typing import Any

from .launch import main


def __getattr__(name: str) -> Any:
    if name == "app":  # the typer app, loaded when asked for
        from .commands import app

        return app
    raise AttributeError(name)


__all__ = ["app", "main"]
