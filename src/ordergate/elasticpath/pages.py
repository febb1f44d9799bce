"""The list envelope: `links` (absolute URLs) and `meta.page` / `meta.results`, present even when empty.

Links follow the spec's text: `prev` is null on the first page, `next` on the last, `last` when there
is at most one page. Each link carries `page[offset]`, `page[limit]` and `filter` (empty when there is
none, as in Elastic Path's examples), and `sort` when the request had one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

_SAFE = "()[],:*@|!$'~-._"


def _link(base: str, offset: int, limit: int, filter_text: str, sort_text: str) -> str:
    url = f"{base}?page[offset]={offset}&page[limit]={limit}&filter={quote(filter_text, safe=_SAFE)}"
    return f"{url}&sort={quote(sort_text, safe=_SAFE)}" if sort_text else url


def envelope(
    base: str, offset: int, limit: int, total: int, *, filter_text: str, sort_text: str
) -> dict[str, Any]:
    """`links` and `meta` for a page at `offset` of `limit` rows out of `total` matching rows."""
    pages = -(-total // limit)
    last_offset = (pages - 1) * limit

    def link(at: int) -> str:
        return _link(base, at, limit, filter_text, sort_text)

    links = {
        "current": link(offset),
        "first": link(0),
        "last": link(last_offset) if pages > 1 else None,
        "prev": link(max(offset - limit, 0)) if offset > 0 else None,
        "next": link(offset + limit) if offset + limit < total else None,
    }
    meta = {
        "page": {"limit": limit, "offset": offset, "current": offset // limit + 1, "total": pages},
        "results": {"total": total},
    }
    return {"links": links, "meta": meta}
