"""Markdown pieces the exports share: links in the user's notes kept as links, and the corpus's
front matter (how many notices and files, and a hash of their content — never absolute paths)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from ..loaders import Corpus

#: ``[text](http…)``, ``<http…>`` or a bare ``http…`` URL (CJK punctuation ends it).
_LINK = re.compile(
    r"\[(?P<text>[^\[\]\n]{1,300})\]\((?P<target>https?://[^\s()<>]+)\)"
    r"|<(?P<auto>https?://[^\s<>]+)>"
    r"|(?P<bare>https?://[^\s<>\u3000-\u303f\uff00-\uffef\"'\[\]()]+)"
)
_TRAILING = ".,;:!?"


def with_links(text: str, escape: Callable[[str], str]) -> str:
    """``escape`` applied to everything but web links, which stay links (a bare URL becomes ``<url>``)."""
    out: list[str] = []
    at = 0
    for match in _LINK.finditer(text):
        bare = match.group("bare")
        end = match.end()
        if bare:
            url = bare.rstrip(_TRAILING)
            end = match.start() + len(url)
            link = f"<{url}>"
        elif match.group("auto"):
            link = f"<{match.group('auto')}>"
        else:
            link = f"[{escape(match.group('text'))}](<{match.group('target')}>)"
        out += [escape(text[at : match.start()]), link]
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def corpus_digest(corpus: Corpus) -> str:
    """SHA-256 over the loaded notices' texts (sorted), so two exports say whether they read the same
    corpus without naming anyone's folders."""
    digest = hashlib.sha256()
    for line in sorted(hashlib.sha256(n.body.encode("utf-8", "replace")).hexdigest() for n in corpus.notices):
        digest.update(line.encode("ascii") + b"\n")
    return digest.hexdigest()


def corpus_front_matter(corpus: Corpus) -> list[str]:
    """The ``corpus:`` block of an export's YAML front matter."""
    files = len({n.file for n in corpus.notices})
    return [
        "corpus:",
        f"  notices: {len(corpus.notices)}",
        f"  files: {files}",
        f'  content_sha256: "{corpus_digest(corpus)}"',
    ]
