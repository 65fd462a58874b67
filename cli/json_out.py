"""JSON for scripts on stdout: real Chinese characters, byte for byte what ``json`` writes."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any


def print_json(data: Any, *, floats: bool = True) -> None:
    """JSON for scripts: real Chinese characters, one document on stdout.

    ``floats=False`` says the data holds no float: then orjson writes it, byte for byte what ``json``
    writes (orjson spells some floats otherwise: ``1e-5``, not ``1e-05``), several times faster.
    """
    if not floats:
        import orjson

        try:
            raw = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        except TypeError:  # text that is not Unicode (a lone surrogate), a huge number: json says it
            raw = None
        if raw is not None and write_utf8(raw):
            return
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_json_list(parts: Iterable[list[Any]]) -> None:
    """A JSON list for scripts, given a part at a time, each part a list of its items (no float in
    them: orjson writes them, byte for byte what ``json`` writes for the whole list), and written a
    part at a time: the items and text of one part only are in memory at once."""
    import orjson

    opened = False
    for part in parts:
        if not part:
            continue
        lead = "[\n" if not opened else ",\n"  # each part: "[\n  item,\n  item\n]" without brackets
        opened = True
        try:
            raw = orjson.dumps(part, option=orjson.OPT_INDENT_2)
        except TypeError:  # a lone surrogate, a huge number: json says it
            sys.stdout.write(lead + json.dumps(part, ensure_ascii=False, indent=2)[2:-2])
            continue
        if not write_utf8(lead.encode() + raw[2:-2]):
            sys.stdout.write(lead + raw[2:-2].decode())
    sys.stdout.write("\n]\n" if opened else "[]\n")


def write_utf8(raw: bytes) -> bool:
    """Write UTF-8 text to stdout as it is, when stdout writes UTF-8 (False: nothing written)."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None or str(getattr(sys.stdout, "encoding", "")).lower().replace("-", "") != "utf8":
        return False
    sys.stdout.flush()
    out.write(raw)
    return True
