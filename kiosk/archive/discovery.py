"""The files that let search engines and feed readers find the archive: sitemap.xml, robots.txt, feed.xml.

A sitemap and a feed name pages by absolute address, so they are written only when the archive's
base URL is known (archive_base_url or --base-url); robots.txt is always written, and keeps
every crawler out when the settings say `archive_crawlers: false`.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kiosk import urls
from kiosk.archive.strings import word
from kiosk.i18n import typeset
from kiosk.store import Response

FEED_ENTRIES = 50  # the newest public answers in the feed


def sitemap(base: str, paths: list[str]) -> bytes:
    """sitemap.xml (sitemaps.org 0.9): each page by its folder's address (r/{id}/, not r/{id}/index.html)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for rel in paths:
        folder = rel.removesuffix("index.html")
        lines.append(f"<url><loc>{escape(base.rstrip('/') + '/' + folder)}</loc></url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots(base: str, crawlers: bool) -> bytes:
    if not crawlers:
        return b"# archive_crawlers: false in the kiosk's settings\nUser-agent: *\nDisallow: /\n"
    text = "User-agent: *\nAllow: /\n"
    if base:
        text += f"Sitemap: {base.rstrip('/')}/sitemap.xml\n"
    return text.encode("utf-8")


def atom_feed(site: dict[str, Any], newest: list[Response]) -> bytes:
    """feed.xml (Atom, RFC 4287): the newest public answers, newest first."""
    base = site["base_url"].rstrip("/")
    lang = site["languages"][0]
    title = " — ".join(x for x in (site["organization"], word("archive", lang)) if x)
    updated = newest[0].created if newest else "1970-01-01T00:00:00Z"
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(lang)}>',
           f"<title>{escape(_xml_text(title))}</title>",
           f"<id>{escape(base)}/</id>",
           f'<link rel="self" href={quoteattr(base + "/feed.xml")}/>',
           f'<link rel="alternate" type="text/html" href={quoteattr(base + "/")}/>',
           f"<updated>{escape(updated)}</updated>",
           f"<author><name>{escape(_xml_text(site['organization'] or word('archive', lang)))}</name></author>"]
    if site["license"]:
        out.append(f"<rights>{escape(_xml_text(site['license']))}</rights>")
    for r in newest:
        url = urls.response_url(base, r.id)
        answer = typeset(r.answer_text())
        out += ["<entry>",
                f"<title xml:lang={quoteattr(r.language)}>{escape(_xml_text(typeset(r.question())))}</title>",
                f"<id>{escape(url)}</id>",
                f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                f"<published>{escape(r.created)}</published><updated>{escape(r.created)}</updated>"]
        if answer:
            out.append(f"<summary>{escape(_xml_text(answer))}</summary>")
        if r.has_drawing:
            out.append(f'<link rel="enclosure" type="image/svg+xml" href={quoteattr(url + "drawing.svg")}/>')
        out.append("</entry>")
    out.append("</feed>\n")
    return "\n".join(out).encode("utf-8")


def _xml_text(text: str) -> str:
    """Characters XML 1.0 cannot hold (controls, lone surrogates) replaced, so the feed always parses."""
    return "".join(c if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                   or c > "\uffff" else "\ufffd" for c in text)
