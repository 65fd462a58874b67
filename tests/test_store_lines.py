"""The store file's lines (``store.encoded``): a line break before each table and each line of records,
read a few lines at a time exactly as the whole file parses, and any other layout read whole."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from zhenggai.store import encoded
from zhenggai.store.db import Store
from zhenggai.store.encoded import LINE_RECORDS, PARSE_BYTES, encode_tables, parse_lines
from zhenggai.store.storage import StoreCorrupt, parse_document
from zhenggai.store.table import Records

#: Texts that look like the layout's own marks, escapes and characters outside the BMP.
TRICKY = ['},"1":{', '"notes":{', "行一\n行二", "\\", '"', "}\n},\n{", "\u2028", "😀", "", " "]


def document(rng: random.Random, sizes: tuple[int, ...]) -> dict[str, Any]:
    tables: dict[str, Any] = {"_meta": {"1": {"schema_version": 4}}}
    for t, size in enumerate(sizes):
        tables[f"table{t}"] = Records(
            {
                str(i + 1): {
                    "text": rng.choice(TRICKY) + str(i),
                    "anchor": {"notice_id": rng.choice(TRICKY), "offset": i, "nested": {"1": {"2": [1]}}},
                    "tags": [rng.choice(TRICKY)],
                    "n": rng.random(),
                }
                for i in range(size)
            }
        )
    tables["settings"] = {"theme": "zhenggai-dark", "empty": {}}
    return tables


def written(doc: dict[str, Any]) -> bytes:
    return b"".join(bytes(piece) for piece in encode_tables(doc))


@pytest.mark.parametrize(
    "sizes", [(), (0,), (1,), (LINE_RECORDS - 1, 0), (LINE_RECORDS,), (LINE_RECORDS + 1, 3), (1500, 700)]
)
def test_a_file_written_in_lines_reads_back_exactly_as_parsed_whole(sizes: tuple[int, ...]) -> None:
    doc = document(random.Random(len(sizes) + sum(sizes)), sizes)
    raw = written(doc)
    assert raw.replace(b"\n", b"") == orjson.dumps(doc)  # compact JSON, line breaks aside
    assert parse_lines(raw) == orjson.loads(raw) == json.loads(raw) == doc
    assert list(parse_lines(raw) or {}) == list(doc)  # the tables in their order
    lines = raw.split(b"\n")
    records = sum(sizes)
    # the document's braces, _meta's and settings' three lines, each table's start, end and records
    assert len(lines) == 2 + 3 + 3 + sum(2 + -(-size // LINE_RECORDS) for size in sizes)
    assert records == 0 or max(line.count(b'"text"') for line in lines) == min(max(sizes), LINE_RECORDS)


@pytest.mark.parametrize(
    ("raw", "valid"),
    [
        (b'{"t":{"1":{"a":1}}}', True),  # a store written before the lines: read whole
        (json.dumps({"t": {"1": {"a": 1}}}, indent=2).encode(), True),  # indented by hand
        (b'{\n"t":{\n"1":{"a":1}\n}\n}\n', True),  # a line break at the end
        (b'{\r\n"t":{\r\n"1":{"a":1}\r\n}\r\n}', True),  # Windows line ends
        (b'{\n"t":{\n"1":{"a":1}\n"2":{"b":2}\n}\n}', False),  # a comma missing between two lines
        (b'{\n"t":{\n"1":{"a":1},\n}\n}', False),  # a comma left over before a table's end
        (b'{\n"t":{\n"1":{"a":1}\n},\n}', False),  # ... before the document's end
        (b'{\n"t":{\n"1":{"a":1}\n}', False),  # a table never closed
        (b'{\n1:{\n"1":{"a":1}\n}\n}', False),  # a table named by a number
        (b'{\n"t":{\n"u":{\n"1":1\n}\n}\n}', True),  # a table inside a table: read whole
        (b'{\n"t":{\n"1":{"a":1},"2":\n{"b":2}\n}\n}', True),  # a record broken over two lines
        (b'{\n"t":{\n\n}\n}', True),  # an empty line for an empty table: still JSON, read whole
    ],
)
def test_any_other_layout_is_read_whole_or_refused_as_before(raw: bytes, valid: bool, tmp_path: Path) -> None:
    lines = parse_lines(raw)
    if valid:
        assert parse_document(tmp_path / "store.json", raw) == json.loads(raw)
        assert lines is None or lines == json.loads(raw)
    else:
        assert lines is None
        with pytest.raises(StoreCorrupt):
            parse_document(tmp_path / "store.json", raw)


def test_a_damaged_file_is_never_read_otherwise_than_whole() -> None:
    """Bytes changed, added or lost anywhere: what the lines give is what the whole file parses to."""
    rng = random.Random(7)
    raw = written(document(rng, (30, 0, 5)))
    read = 0
    for _ in range(3000):
        at = rng.randrange(len(raw))
        change = rng.choice([b"", b",", b"{", b"}", b"\n", b'"', b":", b" ", b"1"])
        damaged = raw[:at] + change + raw[at + rng.choice((0, 1)) :]
        lines = parse_lines(damaged)
        if lines is not None:
            assert lines == orjson.loads(damaged)  # never a document the whole file is not
            read += 1
    assert read > 300  # a changed text or number is still this layout


def test_a_big_store_is_parsed_in_pieces_and_lets_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = written(document(random.Random(3), (6000, 2000)))
    parsed: list[int] = []  # bytes of each parse
    sleeps: list[float] = []
    loads = orjson.loads
    monkeypatch.setattr(orjson, "loads", lambda data: (parsed.append(len(data)), loads(data))[1])
    monkeypatch.setattr(encoded.time, "sleep", sleeps.append)
    assert parse_lines(raw) == loads(raw)
    longest = max(map(len, raw.split(b"\n")))  # a line of LINE_RECORDS records
    assert len(raw) > 2 * PARSE_BYTES and max(parsed) < PARSE_BYTES + longest
    assert len(sleeps) >= len(raw) // (PARSE_BYTES + longest)
    assert sum(parsed) < len(raw) * 1.01 + 100  # each byte parsed once


def test_a_store_written_before_the_lines_opens_and_is_saved_in_lines(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note({"notice_id": "n", "section_id": "一", "exact": "整改"}, "第一条")
    single = orjson.dumps(json.loads(store.path.read_bytes()))  # as the last round wrote it
    store.path.write_bytes(single)
    reopened = Store.open()
    assert [n["text"] for n in reopened.notes()] == ["第一条"]
    reopened.add_note({"notice_id": "n", "section_id": "一", "exact": "整改"}, "第二条")
    raw = store.path.read_bytes()
    assert parse_lines(raw) == json.loads(raw) and raw.count(b"\n") > 3
    assert [n["text"] for n in Store.open().notes()] == ["第一条", "第二条"]
