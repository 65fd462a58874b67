"""Search queries over the index: words (AND), ``"exact phrase"``, ``-exclude``, ``OR``, filters.

Words are segmented like the index and matched as FTS5 phrases; an exact phrase is also matched as a
plain substring of the section text, so a phrase that segments oddly is still found.  Ranking is
FTS5's bm25.  Traditional characters in a query are converted to simplified with OpenCC.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .index import SearchIndex
from .segment import fts_forms, words
from .text import fold

#: A query is a few words or a phrase.  Far longer ones (a pasted page: 6,000 characters took minutes
#: of FTS5 matching) are refused with the reason, as are queries of very many words.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 24
_TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')
SNIPPET_RADIUS = 40
#: Ranking every match of a word found in nearly every section (整改, 问题) took most of a search's
#: time and grows with the corpus; without filters, the best hits are chosen among the first
#: this many matching sections (in the order the files were indexed).  Fewer matches: all are ranked.
RANK_CAP = 5_000


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrict a search to places, a level, a year, a section kind, notices or sections."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    level: str | None = None
    year: int | None = None
    kind: str | None = None
    notice_id: str | None = None
    section_prefix: str | None = None
    """Only this section and its descendants (with ``notice_id``)."""


@dataclass(slots=True)
class ParsedQuery:
    """A query split into what the index can match and what must be checked in the text."""

    groups: list[list[str]] = field(default_factory=list)
    """OR-groups of required terms (each term: its text)."""
    phrases: list[str] = field(default_factory=list)
    """Exact phrases, all required (checked as substrings)."""
    excluded: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Everything to highlight."""
        return [t for group in self.groups for t in group] + self.phrases


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching section, best first."""

    notice_id: str
    province: str | None
    city: str | None
    district: str | None
    section_id: str
    section_title: str
    snippet: str
    spans: tuple[tuple[int, int], ...]
    """Where the query's terms are in ``snippet``."""
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of ``zhenggai search --json``."""
        return {
            "notice_id": self.notice_id,
            "district": self.district,
            "city": self.city,
            "section_id": self.section_id,
            "section_title": self.section_title,
            "snippet": self.snippet,
            "score": round(self.score, 4),
        }


@cache
def _t2s() -> Any:
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional → simplified characters (unchanged when OpenCC is unavailable)."""
    converter = _t2s()
    return converter.convert(text) if converter is not None and text else text


def parse_query(query: str) -> ParsedQuery:
    """Split a query into OR-groups, phrases and exclusions."""
    parsed = ParsedQuery()
    current: list[str] = []
    for match in _TERM.finditer(simplify(fold(query))):
        if match.group(2) is not None:
            phrase = match.group(2).strip()
            (parsed.excluded if match.group(1) else parsed.phrases).append(phrase)
            continue
        negative, term = match.group(3), match.group(4)
        if term == "OR":
            if current:
                parsed.groups.append(current)
            current = []
            continue
        if negative and len(term) > 0:
            parsed.excluded.append(term)
        else:
            current.append(term)
    if current:
        parsed.groups.append(current)
    return parsed


def _query_words(index: SearchIndex, text: str) -> list[str]:
    """A query word's tokens: itself when the index holds it as one token (no dictionary to load:
    the segmenter's start is most of a one-word search), else as the segmenter cuts it."""
    term = text.strip().lower()
    if term and index.has_token(term):
        return [term]
    return words(text)


def _fts_tokens(index: SearchIndex, text: str) -> list[str]:
    """A query word's tokens as the index holds them (``segment.fts_forms``: several for a token
    FTS5's unicode61 splits, such as 3.5, which then match as a phrase)."""
    return [form for form in fts_forms(_query_words(index, text)) if form]


def _fts_phrase(index: SearchIndex, text: str) -> str | None:
    """A query word as FTS: all of its tokens (the index holds compounds and their parts)."""
    tokens = _fts_tokens(index, text)
    return "(" + " AND ".join(f'"{t}"' for t in tokens) + ")" if tokens else None


def _match_expression(index: SearchIndex, parsed: ParsedQuery) -> str | None:
    ors = []
    for group in parsed.groups:
        phrases = [p for p in (_fts_phrase(index, t) for t in group) if p]
        if phrases:
            ors.append("(" + " AND ".join(phrases) + ")")
    ands = []
    if ors:
        ands.append("(" + " OR ".join(ors) + ")")
    for phrase in parsed.phrases:
        tokens = _fts_tokens(index, phrase)
        if tokens:  # narrow by the phrase's words; the substring check below decides
            ands.append("(" + " AND ".join(f'"{t}"' for t in tokens) + ")")
    if not ands:
        return None
    expression = " AND ".join(ands)
    for term in parsed.excluded:
        excluded = _fts_phrase(index, term)
        if excluded:
            expression += f" NOT {excluded}"
    return expression


def query_problem(query: str) -> str | None:
    """Why ``query`` cannot find anything, or ``None`` (one line, for the CLI and the reader)."""
    if len(query) > MAX_QUERY_CHARS:
        return (
            f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS} "
            '(search for a few words, or a "phrase" from the passage)'
        )
    if not query.strip():
        return "the query is empty: give a word to look for (e.g. zhenggai search 营商环境)"
    if not query.replace("-", "").strip():
        return f"the query {query!r} has no word to look for, only '-' (which excludes the word after it)"
    parsed = parse_query(query)
    if len(parsed.terms) + len(parsed.excluded) > MAX_QUERY_TERMS:
        return f"the query has more than {MAX_QUERY_TERMS} words; search for fewer"
    if any(term.strip("-") for term in parsed.terms):
        return None
    if parsed.excluded:
        excluded = " ".join("-" + t for t in parsed.excluded)
        return f"the query only excludes words ({excluded}): add a word to look for"
    return f"the query {query!r} has no word to look for"


def search(index: SearchIndex, query: str, filters: Filters | None = None, limit: int = 50) -> list[Hit]:
    """The best ``limit`` sections for ``query`` (none for a query ``query_problem`` refuses)."""
    if query_problem(query) is not None or limit == 0:
        return []
    parsed = parse_query(query)
    expression = _match_expression(index, parsed)
    if expression is None:
        return []
    filters = filters or Filters()
    where = ["tokens MATCH ?"]
    params: list[Any] = [expression]
    for column in ("province", "city", "district", "level", "year", "notice_id"):
        value = getattr(filters, column)
        if value is not None:
            where.append(f"n.{column} = ?")
            params.append(value)
    if filters.kind is not None:
        where.append("s.kind = ?")
        params.append(filters.kind)
    if filters.section_prefix:
        where.append("(s.section_id = ? OR s.section_id LIKE ?)")
        params += [filters.section_prefix, filters.section_prefix + "/%"]
    checked = bool(parsed.phrases or parsed.excluded)  # in the text, read from the corpus store
    if filters == Filters():
        # rank at most RANK_CAP matches (bm25 over all of a very common word's matches was the cost)
        sql = (
            "SELECT rowid, score FROM (SELECT rowid, bm25(tokens) AS score FROM tokens"
            f" WHERE tokens MATCH ? LIMIT {RANK_CAP}) ORDER BY score, rowid"
        )
    else:
        sql = (
            "SELECT tokens.rowid, bm25(tokens) AS score FROM tokens JOIN sections s ON s.rowid = tokens.rowid"
            f" JOIN notices n ON n.nid = s.notice WHERE {' AND '.join(where)} ORDER BY score, tokens.rowid"
        )
    # a LIMIT on the outer query also keeps SQLite from moving RANK_CAP's LIMIT after the ORDER BY
    # (flattening the subquery): that ranked every match of a very common word
    sql += " LIMIT ?"
    params.append(limit if not checked else -1)
    return _hits(index, parsed, _fetch(index, sql, params), limit)


_DETAILS = (
    "SELECT s.rowid, n.notice_id, n.province, n.city, n.district, s.section_id, s.number, s.title,"
    " n.store_key, n.store_idx, s.start, s.size, s.text FROM sections s JOIN notices n ON n.nid = s.notice"
    " WHERE s.rowid IN ({})"
)


def _hits(index: SearchIndex, parsed: ParsedQuery, ranked: list[Any], limit: int) -> list[Hit]:
    """The best ``limit`` of the ranked ``(rowid, score)`` that pass the text checks (exact phrases,
    excluded words), with snippets: sections and their texts are read a page at a time, best first,
    until enough pass (only the sections shown, when nothing is checked)."""
    hits: list[Hit] = []
    checked = bool(parsed.phrases or parsed.excluded)
    page = limit if not checked else max(limit, 64)
    for at in range(0, len(ranked), page):
        chunk = ranked[at : at + page]
        found = _fetch(index, _DETAILS.format(",".join("?" * len(chunk))), [rowid for rowid, _ in chunk])
        details = {row[0]: row for row in found}
        rows = [(details[rowid], score) for rowid, score in chunk if rowid in details]
        texts = index.section_texts([tuple(row[8:13]) for row, _ in rows])
        for (row, score), text in zip(rows, texts, strict=True):
            if checked and not (
                all(phrase in text for phrase in parsed.phrases)
                and not any(term in text for term in parsed.excluded)
            ):
                continue
            notice_id, province, city, district, section_id, number, title = row[1:8]
            snippet, spans = make_snippet(text, parsed.terms)
            hits.append(
                Hit(
                    notice_id,
                    province,
                    city,
                    district,
                    section_id,
                    f"{number}{title}",
                    snippet,
                    spans,
                    -score,
                )
            )
            if len(hits) == limit:
                return hits
    return hits


def _fetch(index: SearchIndex, sql: str, params: list[Any]) -> list[Any]:
    """The rows of a query: a malformed MATCH finds nothing; a damaged index is rebuilt (from the notices
    it was last synced with) and the query tried once more — never an exception."""
    for attempt in range(2):
        try:
            return index.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            message = str(exc).lower()
            if "fts5" in message or "syntax" in message or "unterminated" in message:
                return []
            if attempt or not index.recover(str(exc)):
                return []
    return []


def make_snippet(text: str, terms: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of the text around the first term, and every term's span inside it."""
    folded = fold(text)
    positions = [p for p in (folded.find(fold(t)) for t in terms if t) if p >= 0]
    first = min(positions) if positions else 0
    start = max(0, first - SNIPPET_RADIUS)
    end = min(len(text), first + SNIPPET_RADIUS * 2)
    snippet = ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
    spans = []
    window = fold(snippet)
    for term in terms:
        needle = fold(term)
        if not needle:
            continue
        at = window.find(needle)
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = window.find(needle, at + len(needle))
    return snippet, tuple(sorted(spans))
