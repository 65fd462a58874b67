"""The terminal user interface: the only package that imports textual (and the typer CLI)."""
