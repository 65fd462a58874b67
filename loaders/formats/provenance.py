"""Where a saved file came from: its URL as the page, archive or document states it, and its dates.

Everything here reads foreign text: a URL is kept only when it is a plain ``http(s)`` address (no
spaces, controls or markup), a date only when it is a real calendar date.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta, timezone

MAX_URL_CHARS = 2048
_URL = re.compile(r"https?://[^\s<>\"'\x00-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]+", re.IGNORECASE)
#: ``<!-- saved from url=(0055)https://… -->``: what Internet Explorer, Edge and Chrome write on top
#: of a page saved as HTML (``about:internet`` and other non-web values are ignored).
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_TAG = re.compile(r"<(link|meta)\b([^>]{0,2000})>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?"
)


def clean_url(value: object) -> str | None:
    """``value`` when it is one plain ``http(s)`` URL (entities decoded, surrounding blanks dropped)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    text = html.unescape(value).strip()
    if len(text) > MAX_URL_CHARS:
        return None
    found = _URL.fullmatch(text)
    return found.group() if found else None


def find_url(text: str) -> str | None:
    """The first plain ``http(s)`` URL standing anywhere in ``text`` (a footer line, a comment)."""
    found = _URL.search(text)
    return clean_url(found.group().rstrip(".,;:)]}>，。；：）")) if found else None


def _attributes(tag: str) -> dict[str, str]:
    return {name.lower(): value.strip("\"'") for name, value in _ATTRIBUTE.findall(tag)}


def page_urls(page: str) -> dict[str, str]:
    """The URLs a saved page states about itself: ``canonical``, ``og:url`` and ``saved-from``."""
    found: dict[str, str] = {}
    head = page[:200_000]
    saved = _SAVED_FROM.search(head[:4096])
    if saved and (url := clean_url(saved.group(1))):
        found["saved-from"] = url
    for tag in _TAG.finditer(head):
        attributes = _attributes(tag.group(2))
        if tag.group(1).lower() == "link":
            rel = attributes.get("rel", "").lower().split()
            if "canonical" in rel and (url := clean_url(attributes.get("href"))):
                found.setdefault("canonical", url)
        elif attributes.get("property", attributes.get("name", "")).lower() == "og:url" and (
            url := clean_url(attributes.get("content"))
        ):
            found.setdefault("og:url", url)
    return found


def page_url(page: str) -> str | None:
    """The address a saved page was published at: its canonical link, ``og:url``, then where the
    browser saved it from."""
    urls = page_urls(page)
    return urls.get("canonical") or urls.get("og:url") or urls.get("saved-from")


def pdf_date(value: object) -> str | None:
    """A PDF date (``D:20240327103000+08'00'``) as ISO 8601, or None when it is not a real date."""
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    if not isinstance(value, str):
        return None
    found = _PDF_DATE.match(value.strip())
    if not found:
        return None
    year, month, day, hour, minute, second, zulu, sign, tz_hour, tz_minute = found.groups()
    try:
        moment = datetime(
            int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0)
        )
        if zulu:
            moment = moment.replace(tzinfo=UTC)
        elif sign:
            offset = timedelta(hours=int(tz_hour), minutes=int(tz_minute or 0))
            moment = moment.replace(tzinfo=timezone(offset if sign == "+" else -offset))
    except ValueError:
        return None
    return moment.isoformat()


def iso_date(value: object) -> str | None:
    """A ``datetime`` (python-docx's core properties, an email ``Date``) as ISO 8601."""
    return value.isoformat() if isinstance(value, datetime) else None


__all__ = ["clean_url", "find_url", "iso_date", "page_url", "page_urls", "pdf_date"]
