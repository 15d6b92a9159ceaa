"""The archive's HTML: pure functions from plain data (a page's context) to a page's text.

Every value that reaches a page goes through `esc` (text) or `attr` (attribute values), so
whatever a visitor typed on the kiosk (`<script>`, quotes, `&`, right-to-left marks) is shown
as the characters it is and can neither run nor reorder the page around it: visitors' text
sits in elements with dir="auto" or in <bdi>, and in attributes between Unicode isolates.
Links are relative and name index.html, so the site works from a folder (file://) as well
as from any static host; nothing is loaded from another host and no script is needed. The
only absolute addresses are the site's own, from its base URL (rel=canonical, OpenGraph, the
citation), and the one <script> is a JSON-LD data block, which never runs.

Languages: pages follow the kiosk's language order (`languages: [fr, en]` makes French the
page's language and puts it first). Visitors' text carries its own language (the one the
visitor answered in) unless its letters are of another script, then no `lang` at all and
`dir="auto"`; typed text gets French spacing from kiosk.i18n.typeset, like the zine and the app.

A page's context is plain JSON-able data: the builder hashes it to decide whether a page
has changed without rendering it (see build.py).
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from kiosk import urls
from kiosk.archive.strings import format_date, ui_languages, word, word_n
from kiosk.export.metadata import CREATOR
from kiosk.i18n import typeset
from kiosk.licence import short_name

PAGE_SIZE = 60  # responses on one page of a session: a comfortable scroll on a phone
INDEX_THUMBS = 4  # thumbnails per session on the front page

# Characters a page never needs from a visitor: C0/C1 controls (tab and newline aside),
# lone surrogates (not encodable), noncharacters. Bidi marks stay: they are isolated instead.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate

# No script may run on these pages, whatever they contain; nothing is sent anywhere.
CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"


def clean(text: Any) -> str:
    return _UNWANTED.sub("\ufffd", str(text))


def esc(text: Any) -> str:
    """Text content, escaped."""
    return _escaped(text) if type(text) is str else html.escape(clean(text), quote=True)


def attr(text: Any) -> str:
    """An attribute value, escaped (use inside double quotes)."""
    return _escaped(text) if type(text) is str else html.escape(clean(text), quote=True)


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    # The same words, titles and questions are escaped on each of 10,000 pages: once is enough.
    return html.escape(clean(text), quote=True)


def isolated(text: str) -> str:
    """Visitors' text inside plain text (alt, title): bidi-isolated so it cannot reorder what follows."""
    return f"{FSI}{text}{PDI}"


def lang_attr(lang: str) -> str:
    return f' lang="{attr(lang)}"' if lang else ""


# Languages written in the Latin script: a text in another script is not in them.
_LATIN = {"en", "fr", "de", "es", "it", "nl", "pt", "ca", "eu", "br", "oc", "da", "sv", "no", "nb", "fi", "pl",
          "cs", "sk", "sl", "hr", "ro", "hu", "tr", "vi", "id", "ms", "sw", "et", "lv", "lt", "ga", "cy", "mt"}


def text_lang(text: str, lang: str) -> str:
    """The language to tag a visitor's text with: the one they answered in, or "" (unknown) when
    its letters are of another script (an Arabic answer typed on the English screen)."""
    if lang.split("-")[0] not in _LATIN:
        return lang
    for c in text:
        if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"):
            return ""
    return lang


def visitor_text(text: str, lang: str, tag: str = "span", cls: str = "") -> str:
    """A visitor's typed text: French spacing, its language (or none), its own direction."""
    klass = f' class="{cls}"' if cls else ""
    return f'<{tag}{klass} dir="auto"{lang_attr(text_lang(text, lang))}>{esc(typeset(text))}</{tag}>'


# --- pieces ---------------------------------------------------------------------------------


def each_language(pairs: Iterable[tuple[str, str]], before: str = "", after: str = "") -> str:
    """(language, text) pairs, each text once: the first plain (between `before` and `after`,
    e.g. an arrow), the others muted."""
    seen: list[str] = []
    parts = []
    for lang, text in pairs:
        if text in seen:
            continue
        if seen:
            parts.append(f'<span lang="{attr(lang)}" class="tr">{esc(text)}</span>')
        else:
            parts.append(f'<span lang="{attr(lang)}">{esc(before)}{esc(text)}{esc(after)}</span>')
        seen.append(text)
    return " ".join(parts)


def ui(key: str, langs: list[str], before: str = "", after: str = "", **values: object) -> str:
    """An interface phrase in every interface language."""
    if not values:  # the same few phrases on 10,000 pages: made once
        return _ui_fixed(key, tuple(langs), before, after)
    return each_language(((lang, word(key, lang, **values)) for lang in langs), before, after)


@functools.lru_cache(maxsize=512)
def _ui_fixed(key: str, langs: tuple[str, ...], before: str, after: str) -> str:
    return each_language(((lang, word(key, lang)) for lang in langs), before, after)


def ui_paras(key: str, langs: list[str], **values: object) -> str:
    """A longer interface text in every interface language: one paragraph each, the others muted."""
    texts = {lang: word(key, lang, **values) for lang in langs}
    return in_languages(texts, langs[0], "p")


def ui_plain(key: str, langs: list[str], **values: object) -> str:
    """The same phrase as plain text (for <title> and alt): 'Response 3 · Réponse 3'."""
    texts: list[str] = []
    for lang in langs:
        text = word(key, lang, **values)
        if text not in texts:
            texts.append(text)
    return " · ".join(texts)


def dates(value: str, langs: list[str]) -> str:
    """A date (or timestamp) written out in each of `langs`, in a <time> element."""
    return f'<time datetime="{attr(value)}">{each_language((lang, format_date(value, lang)) for lang in langs)}</time>'


def in_languages(texts: dict[str, str], first: str, tag: str = "p", cls: str = "") -> str:
    """A text given in several languages: `first` as the main line, the others below, muted."""
    order = sorted(texts, key=lambda lang: lang != first)
    out = []
    for i, lang in enumerate(order):
        if not texts[lang]:
            continue
        klass = cls if i == 0 else (cls + " other").strip()
        klass_attr = f' class="{klass}"' if klass else ""
        out.append(f"<{tag}{klass_attr}{lang_attr(lang)}>{esc(typeset(texts[lang]))}</{tag}>")
    return "\n".join(out)


def pick(texts: dict[str, Any], lang: str) -> Any:
    """The text in `lang`, else the first one there is."""
    return texts.get(lang) or next((v for v in texts.values() if v), "")


def alt_text(item: dict[str, Any]) -> str:
    """What the drawing shows, in words: the question and the answer, in the visitor's language."""
    lang = item["lang"]
    question = pick(item["question"], lang)
    text = word("drawing_of", lang, q=question)
    answer = answer_line(item)
    return f"{text} — {isolated(answer)}" if answer else text


def answer_line(item: dict[str, Any]) -> str:
    """The chosen options or the typed text, as one line, in the visitor's language."""
    if item["kind"] == "choice":
        return ", ".join(pick(item["options"], item["lang"]) or [])
    return typeset(item["text"])


def json_ld(data: dict[str, Any]) -> str:
    """A JSON-LD data block (never run): < > & escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{clean(text)}</script>'


def head_meta(site: dict[str, Any], path: str | None, title: str, kind: str = "website",
              image: dict[str, Any] | None = None, lang: str = "") -> str:
    """rel=canonical and OpenGraph tags, with the site's own absolute address (none without a base URL)."""
    base = site["base_url"]
    out = [f'<meta property="og:type" content="{kind}">', f'<meta property="og:title" content="{attr(title)}">']
    if site["organization"]:
        out.append(f'<meta property="og:site_name" content="{attr(site["organization"])}">')
    locale = (lang or site["languages"][0]).replace("-", "_")
    out.append(f'<meta property="og:locale" content="{attr(locale)}">')
    if base and path is not None:
        url = f"{base}/{path}"
        out.insert(0, f'<link rel="canonical" href="{attr(url)}">')
        out.append(f'<meta property="og:url" content="{attr(url)}">')
        if image:
            out += [f'<meta property="og:image" content="{attr(url + image["src"])}">',
                    '<meta property="og:image:type" content="image/png">',
                    f'<meta property="og:image:width" content="{image["w"]}">',
                    f'<meta property="og:image:height" content="{image["h"]}">',
                    f'<meta property="og:image:alt" content="{attr(image["alt"])}">']
    return "\n".join(out)


def licence_line(site: dict[str, Any], root: str, langs: list[str]) -> str:
    """The licence, named and marked rel=license; the link stays in the site (the About page says
    where the licence's text is), so that no page points to another host."""
    if not site["license"]:
        return ""
    # Named ('CC BY-NC-SA 4.0'): an address as the link's text would seem to lead to that other site.
    return (f'<p class="license"><span class="k">{ui("license", langs)}</span> '
            f'<a rel="license" href="{root}about/index.html#licence" dir="auto">{esc(short_name(site["license"]))}</a></p>')


def page(*, title: str, root: str, langs: list[str], site: dict[str, Any], body: str, lang: str = "",
         path: str | None = None, head: str = "", rights: bool = False, noindex: bool = False,
         og_kind: str = "website", image: dict[str, Any] | None = None) -> str:
    """A whole page around `body`. `root` is the relative way back to the site's top ('../../');
    `path` the page's folder from the site's root (for its canonical address; None: it has none).
    `rights`: show the rights statement (a response's page; not on pages listing many)."""
    org = site["organization"]
    home = f"{esc(org)} — " if org else ""
    footer = []
    if rights and site["rights"]:
        footer.append(f'<p class="rights"><span class="k">{ui("rights", langs)}</span> '
                      f'<span dir="auto">{esc(site["rights"])}</span></p>')
    footer.append(licence_line(site, root, langs))
    footer.append(f'<p class="more"><a href="{root}about/index.html">{ui("about", langs)}</a></p>')
    robots = '<meta name="robots" content="noindex">\n' if noindex else ""
    feed = (f'<link rel="alternate" type="application/atom+xml" href="{root}feed.xml" '
            f'title="{attr(ui_plain("feed", langs))}">\n' if site["base_url"] else "")
    return f"""<!doctype html>
<html lang="{attr(lang or langs[0])}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
{robots}<title>{esc(title)}</title>
<link rel="stylesheet" href="{root}style.css">
<link rel="icon" href="{root}favicon.svg" type="image/svg+xml">
<link rel="icon" href="{root}favicon.ico" sizes="32x32">
{feed}{head_meta(site, None if noindex else path, title, og_kind, image, lang)}
{head}
</head>
<body>
<a class="skip" href="#main">{ui("skip", langs)}</a>
<header class="site"><div class="wrap"><a href="{root}index.html">{home}{ui("archive", langs)}</a></div></header>
<main id="main" class="wrap">
{body}
</main>
<footer class="site"><div class="wrap">
{chr(10).join(x for x in footer if x)}
</div></footer>
</body>
</html>
"""


# --- a response -------------------------------------------------------------------------


def response_page(ctx: dict[str, Any]) -> str:
    """r/{id}/index.html: the question as asked (the page's <h1>), the drawing, the answer, where it
    belongs, its time-lapse, how to cite it."""
    site, r = ctx["site"], ctx["response"]
    langs = site["languages"]
    lang = r["lang"]
    session = ctx["session"]
    root = "../../"
    number = ui("response_n", langs, n=r["number"])
    title_q = pick(r["question"], lang)
    others = {k: v for k, v in r["question"].items() if v and v != title_q}
    question = (f'<p class="k">{ui("question", langs)}</p>\n'
                f'<h1 class="q"{lang_attr(lang if r["question"].get(lang) else "")}>{esc(title_q)}</h1>')
    if others:
        question += "\n" + in_languages(others, lang, "p", "q other")

    figure = timelapse = ""
    alt_plain = alt_text(r) if r["drawing"] else ""
    if r["drawing"]:
        w, h = r["drawing"]["w"], r["drawing"]["h"]
        alt = attr(alt_plain)
        figure = f"""<figure class="drawing">
<a href="drawing.svg"><img src="drawing.svg" width="{w}" height="{h}" alt="{alt}"{lang_attr(lang)}></a>
<figcaption><a href="#drawn">{ui("watch", langs, before="▶ ")}</a></figcaption>
</figure>"""
        # Shown when its link is followed (:target in style.css): no script. Who asks for less motion
        # gets the still drawing (the <source> wins), everyone else the film.
        timelapse = f"""<section id="drawn" class="timelapse"><h2>{ui("watch", langs)}</h2>
<picture><source srcset="drawing.svg" media="(prefers-reduced-motion: reduce)">
<img src="drawing.svg#play" width="{w}" height="{h}" loading="lazy" alt="{alt}"{lang_attr(lang)}></picture>
<p class="meta">{ui("watch_note", langs)} <a href="drawing.svg#play">drawing.svg#play</a></p>
</section>"""

    answer = ""
    if r["kind"] == "choice" and r["options"]:
        first = pick(r["options"], lang)
        rows = []
        for i, text in enumerate(first):
            others_o = [(ol, opts[i]) for ol, opts in r["options"].items() if ol != lang and i < len(opts)]
            other = "".join(f' <span class="other"{lang_attr(ol)}>{esc(t)}</span>' for ol, t in others_o
                            if t and t != text)
            rows.append(f"<li><span{lang_attr(lang)}>{esc(text)}</span>{other}</li>")
        answer = f'<ul class="choices">{"".join(rows)}</ul>'
    elif r["text"]:
        answer = visitor_text(r["text"], lang, "p", "typed")
    if answer:
        answer = f'<section class="answer"><h2 class="k">{ui("answer", langs)}</h2>\n{answer}\n</section>'

    files = ""
    if r["drawing"]:
        files = (f'<div class="files"><dt>{ui("files", langs)}</dt><dd>'
                 f'<a href="drawing.png" title="{attr(ui_plain("png", langs))}">drawing.png</a> '
                 f'<a href="drawing.svg" title="{attr(ui_plain("svg", langs))}">drawing.svg</a></dd></div>')

    nav = []
    if r["prev"]:
        nav.append(f'<a rel="prev" class="prev" href="../{attr(r["prev"])}/index.html">'
                   f'{ui("previous", langs, before="← ")}</a>')
    if r["next"]:
        nav.append(f'<a rel="next" class="next" href="../{attr(r["next"])}/index.html">'
                   f'{ui("next", langs, after=" →")}</a>')
    prevnext = f'<nav class="prevnext" aria-label="{attr(ui_plain("session", langs))}">{"".join(nav)}</nav>' \
        if nav else ""

    session_link = f'../../s/{attr(session["slug"])}/index.html'
    base = site["base_url"]
    if base:
        permanent = f'<span class="url">{esc(base)}/r/{esc(r["id"])}/</span>'
    else:
        permanent = f'<span class="url">{ui_plain("no_base", [lang], id=r["id"])}</span>'
    org = f'{esc(site["organization"])}, ' if site["organization"] else ""
    cite = (f'{org}“<span{lang_attr(lang)}>{esc(title_q)}</span>”, '
            f'{ui_plain("response_n", [lang], n=r["number"])}, '
            f'<span dir="auto">{esc(session["title"])}</span>, {esc(r["created"][:10])}. '
            f'{ui_plain("permanent", [lang])} {permanent}')  # one sentence, one language; the colon spaced in French
    asked = ""
    if r.get("question_page"):
        asked = (f'<div><dt>{ui("question", langs)}</dt><dd><a href="../../{attr(urls.prompt_path(r["prompt_id"]))}'
                 f'index.html">{ui("all_answers", langs)}</a></dd></div>')

    body = f"""<nav class="crumbs"><a href="{root}index.html">{ui("all_sessions", langs)}</a> ›
<a href="{session_link}" dir="auto">{esc(session["title"])}</a> › {number}</nav>
<article class="response">
<header class="question">
{question}
</header>
<div class="body">
{figure}
<div class="about">
{answer}
<dl class="facts">
<div><dt>{ui("date", langs)}</dt><dd>{dates(r["created"], [lang])}</dd></div>
<div><dt>{ui("session", langs)}</dt><dd><a href="{session_link}" dir="auto">{esc(session["title"])}</a>
<span class="other">{esc(", ".join(x for x in (session["place"], format_date(session["date"], lang)) if x))}</span></dd></div>
{asked}
{files}
</dl>
{prevnext}
</div>
</div>
{timelapse}
<section class="cite"><h2 class="k">{ui("cite", langs)}</h2>
<p>{cite}</p>
</section>
</article>"""
    title = f"{title_q} — {ui_plain('response_n', langs, n=r['number'])} — {session['title']}"
    path = urls.response_path(r["id"])
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "VisualArtwork" if r["drawing"] else "CreativeWork",
        "name": title_q, "inLanguage": lang, "dateCreated": r["created"],
        "creator": {"@type": "Person", "name": CREATOR},
        "isPartOf": {"@type": "CreativeWork", "name": session["title"]},
    }
    if r["drawing"]:
        data["artform"] = "drawing"
        data["width"] = {"@type": "Distance", "name": f'{r["drawing"]["w"]} px'}
        data["height"] = {"@type": "Distance", "name": f'{r["drawing"]["h"]} px'}
    answer_text = answer_line(r)
    if answer_text:
        data["text"] = answer_text
    if site["license"]:
        data["license"] = site["license"]
    if site["rights"]:
        data["copyrightNotice"] = site["rights"]
    if site["organization"]:
        data["publisher"] = {"@type": "Organization", "name": site["organization"]}
    if base:
        data["url"] = f"{base}/{path}"
        data["isPartOf"]["url"] = f'{base}/{urls.session_path(session["slug"])}'
        if r["drawing"]:
            data["image"] = f"{base}/{path}drawing.png"
    image = {"src": "drawing.png", "w": r["drawing"]["w"], "h": r["drawing"]["h"], "alt": alt_plain} \
        if r["drawing"] else None
    return page(title=title, root=root, langs=langs, site=site, body=body, path=path, head=json_ld(data),
                rights=True, og_kind="article", image=image, lang="")


# --- a session ----------------------------------------------------------------------------


def thumb_item(item: dict[str, Any], root: str, numbered: bool = True) -> str:
    """One response in a grid: its thumbnail (or its answer, when it has no drawing) and its number."""
    href = f'{root}r/{attr(item["id"])}/index.html'
    lang = item["lang"]
    if item["thumb"]:
        tw, th = item["thumb"]
        # The drawing's own SVG: a few kB of vectors, sharp at any size and density, so no srcset.
        inner = (f'<img src="{root}r/{attr(item["id"])}/drawing.svg" width="{tw}" height="{th}" loading="lazy" '
                 f'alt="{attr(alt_text(item))}"{lang_attr(lang)}>')
    else:
        answer = answer_line(item)
        if item["kind"] == "text" and answer:
            shown = visitor_text(item["text"], lang, "span", "a")
        elif answer:
            shown = f'<span class="a" dir="auto">{esc(answer)}</span>'
        else:
            shown = f'<span class="a">{esc(word("no_drawing", lang))}</span>'

        inner = (f'<span class="card"{lang_attr(lang)}>{shown}'
                 f'<span class="q">{esc(pick(item["question"], lang))}</span></span>')
    # A response's number counts in its session: on a page gathering several sessions it would mislead.
    number = f'<span class="n">{esc(item["number"])}</span>' if numbered else ""
    return f'<li><a href="{href}">{inner}{number}</a></li>'


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most about `width` characters, broken at spaces (a long word gets a line of its own)."""
    lines: list[str] = []
    for word_ in text.split():
        if lines and len(lines[-1]) + 1 + len(word_) <= width:
            lines[-1] += " " + word_
        else:
            lines.append(word_)
    return lines or [""]


def tally_svg(tally: dict[str, Any], langs: list[str], uid: str) -> str:
    """A bar chart of how often each option was chosen, drawn in inline SVG (no script, no library).

    Text stays at reading size whatever the screen: the SVG is as wide as its column, the bars
    are drawn in percent of that width, and labels are wrapped to fit a phone's column.
    """
    rows = tally["rows"]
    top = max((row["count"] for row in rows), default=1) or 1
    line_h, other_h, bar_h, gap = 20, 18, 18, 14
    parts = []
    summary = []
    y = 0
    for row in rows:
        label = pick(row["label"], langs[0])
        summary.append(word("tally_row", langs[0], label=label, n=row["count"]))  # "Oui : 2" in French
        for line in wrap(label, 34):
            y += line_h
            parts.append(f'<text x="0" y="{y - 5}" class="label">{esc(line)}</text>')
        for other in [t for t in row["label"].values() if t and t != label][:1]:
            for line in wrap(other, 38):
                y += other_h
                parts.append(f'<text x="0" y="{y - 5}" class="label other">{esc(line)}</text>')
        pct = max(0.5, 86 * row["count"] / top)
        parts.append(f'<rect x="0" y="{y + 2}" width="{pct:.1f}%" height="{bar_h}" rx="3" class="bar"/>'
                     f'<text x="{pct:.1f}%" dx="7" y="{y + bar_h - 1}" class="count">{row["count"]}</text>')
        y += bar_h + gap
    return (f'<svg class="chart" width="100%" height="{y}" role="img" aria-labelledby="{uid}">'
            f'<title id="{uid}">{esc(word("tally_sep", langs[0]).join(summary))}</title>{"".join(parts)}</svg>')


def pager(folder: str, page_no: int, pages: int, root: str, langs: list[str]) -> str:
    """Links to a listing's other pages (a session's, s/{slug}/, or a question's, q/{id}/):
    previous, next, the first, the last and the nearest."""
    if pages <= 1:
        return ""

    def href(n: int) -> str:
        return f"{root}{attr(folder)}{session_page_dir(n)}index.html"

    links = []
    if page_no > 1:
        links.append(f'<a rel="prev" href="{href(page_no - 1)}" aria-label="{attr(ui_plain("previous", langs))}">←</a>')
    shown = sorted({1, pages, *range(max(1, page_no - 2), min(pages, page_no + 2) + 1)})
    last = 0
    for n in shown:
        if n > last + 1:
            links.append('<span class="gap">…</span>')
        current = ' aria-current="page"' if n == page_no else ""
        links.append(f'<a{current} href="{href(n)}">{n}</a>')
        last = n
    if page_no < pages:
        links.append(f'<a rel="next" href="{href(page_no + 1)}" aria-label="{attr(ui_plain("next", langs))}">→</a>')
    return f'<nav class="pager" aria-label="{attr(ui_plain("pages", langs))}">{" ".join(links)}</nav>'


def session_page_dir(page_no: int) -> str:
    """The folder of a session's page under s/{slug}/: the first page is the session's own URL."""
    return "" if page_no == 1 else f"page-{page_no}/"


def count_phrase(n: int, langs: list[str]) -> str:
    if n == 0:
        return ui("count_none", langs)
    return each_language((lang, word_n("count", n, lang)) for lang in langs)


def session_head(s: dict[str, Any], langs: list[str], count: int | None) -> str:
    meta = []
    if s["place"]:
        meta.append(f'<span dir="auto">{esc(s["place"])}</span>')
    if s["date"]:
        meta.append(dates(s["date"], langs[:1]))
    if count is not None:
        meta.append(count_phrase(count, langs))
    return f'<h1 dir="auto">{esc(s["title"])}</h1>\n<p class="meta">{" · ".join(meta)}</p>'


def session_page(ctx: dict[str, Any]) -> str:
    """s/{slug}/index.html (and its further pages): the session, its questions, its tallies, its responses."""
    site, s = ctx["site"], ctx["session"]
    langs = site["languages"]
    page_no, pages = ctx["page"], ctx["pages"]
    root = "../../" if page_no == 1 else "../../../"
    # The drawings first (that is what a QR code's reader came for), then what was chosen and asked.
    grid = "\n".join(thumb_item(item, root) for item in ctx["items"])
    page_label = f'<p class="meta">{ui("page_n", langs, n=page_no, total=pages)}</p>\n' if pages > 1 else ""
    sections = [f'<section class="responses"><h2>{ui("drawings", langs)}</h2>\n{page_label}'
                f'<ul class="grid">\n{grid}\n</ul>\n{pager(urls.session_path(s["slug"]), page_no, pages, root, langs)}</section>']
    if page_no == 1 and ctx["tallies"]:
        figs = []
        for i, t in enumerate(ctx["tallies"]):
            figs.append(f'<figure class="tally"><figcaption>{in_languages(t["question"], langs[0], "span", "q")}'
                        f'</figcaption>{tally_svg(t, langs, f"tally-{i + 1}")}</figure>')
        sections.append(f'<section class="tallies"><h2>{ui("tally", langs)}</h2>\n{"".join(figs)}</section>')
    if page_no == 1 and ctx["questions"]:
        items = []
        for q in ctx["questions"]:
            text = in_languages(q["text"], langs[0], "p", "q")
            if q.get("linked"):
                text += (f'<p class="n"><a href="{root}{attr(urls.prompt_path(q["id"]))}index.html">'
                         f'{ui("all_answers", langs)}</a></p>')
            items.append(f'<li>{text}<p class="n">{count_phrase(q["count"], langs)}</p></li>')
        sections.append(f'<section class="questions"><h2>{ui("questions", langs)}</h2>\n'
                        f'<ol>{"".join(items)}</ol></section>')
    extras = ctx.get("extras") or {}
    if extras:
        links = []
        if extras.get("zine"):
            links.append(f'<li><a href="{attr(extras["zine"])}" type="application/pdf">{ui("zine", langs)}</a></li>')
        if extras.get("csv"):
            links.append(f'<li><a href="{attr(extras["csv"])}" type="text/csv">{ui("csv", langs)}</a></li>')
        sections.append(f'<section class="downloads"><h2>{ui("downloads", langs)}</h2>\n'
                        f'<ul>{"".join(links)}</ul></section>')
    body = f"""<nav class="crumbs"><a href="{root}index.html">{ui("all_sessions", langs)}</a> ›
<span dir="auto">{esc(s["title"])}</span></nav>
<header class="session-head">
{session_head(s, langs, ctx["count"])}
</header>
{chr(10).join(sections)}"""
    title = s["title"] + (f" ({page_no}/{pages})" if pages > 1 else "")
    path = urls.session_path(s["slug"]) + session_page_dir(page_no)
    return page(title=title, root=root, langs=langs, site=site, body=body, path=path)


# --- a question, across sessions ---------------------------------------------------------------


def question_page(ctx: dict[str, Any]) -> str:
    """q/{prompt_id}/index.html (and further pages): every public answer to one question."""
    site = ctx["site"]
    langs = site["languages"]
    page_no, pages = ctx["page"], ctx["pages"]
    root = "../../" if page_no == 1 else "../../../"
    texts = ctx["question"]
    first = langs[0] if texts.get(langs[0]) else next((k for k, v in texts.items() if v), "")
    title_q = texts.get(first, "") or ctx["prompt_id"]
    others = {k: v for k, v in texts.items() if v and v != title_q}
    head = [f'<p class="k">{ui("question", langs)}</p>', f'<h1 class="q"{lang_attr(first)}>{esc(title_q)}</h1>']
    if others:
        head.append(in_languages(others, first, "p", "q other"))
    meta = [count_phrase(ctx["count"], langs)] if ctx["count"] is not None else []
    if pages > 1:
        meta.append(ui("page_n", langs, n=page_no, total=pages))
    if meta:
        head.append(f'<p class="meta">{" · ".join(meta)}</p>')
    sections = []
    if ctx["sessions"]:
        rows = [f'<li><a href="{root}s/{attr(x["slug"])}/index.html" dir="auto">{esc(x["title"])}</a> '
                f'<span class="other">{count_phrase(x["count"], langs)}</span></li>' for x in ctx["sessions"]]
        sections.append(f'<section class="asked-in"><h2>{ui("asked_in", langs)}</h2>\n<ul>{"".join(rows)}</ul></section>')
    grid = "\n".join(thumb_item(item, root, numbered=False) for item in ctx["items"])
    folder = urls.prompt_path(ctx["prompt_id"])
    sections.append(f'<section class="responses"><h2>{ui("drawings", langs)}</h2>\n'
                    f'<ul class="grid">\n{grid}\n</ul>\n{pager(folder, page_no, pages, root, langs)}</section>')
    body = f"""<nav class="crumbs"><a href="{root}index.html">{ui("all_sessions", langs)}</a></nav>
<header class="question">
{chr(10).join(head)}
</header>
{chr(10).join(sections)}"""
    title = title_q + (f" ({page_no}/{pages})" if pages > 1 else "")
    return page(title=title, root=root, langs=langs, site=site, body=body, path=folder + session_page_dir(page_no))


# --- the front page -------------------------------------------------------------------------


def index_page(ctx: dict[str, Any]) -> str:
    """index.html: the sessions, newest first, each with a few thumbnails."""
    site = ctx["site"]
    langs = site["languages"]
    items = []
    for s in ctx["sessions"]:
        href = f's/{attr(s["slug"])}/index.html'
        thumbs = "".join(thumb_item(item, "") for item in s["thumbs"])
        items.append(f"""<li class="session">
<h3 dir="auto"><a href="{href}">{esc(s["title"])}</a></h3>
<p class="meta">{" · ".join(x for x in (f'<span dir="auto">{esc(s["place"])}</span>' if s["place"] else "",
                                         dates(s["date"], langs[:1]) if s["date"] else "",
                                         count_phrase(s["count"], langs)) if x)}</p>
{f'<ul class="grid small">{thumbs}</ul>' if thumbs else ""}
</li>""")
    listing = (f'<ul class="sessions">\n{"".join(items)}\n</ul>' if items
               else f'<p class="empty">{ui("empty", langs)}</p>')
    org = site["organization"]
    heading = f'<h1>{esc(org)}</h1>' if org else f'<h1>{ui("archive", langs)}</h1>'
    body = f"""<header class="intro">{heading}
<p>{ui("intro", langs)}</p></header>
<section><h2 class="k">{ui("sessions", langs)}</h2>
{listing}
</section>"""
    title = (f"{org} — " if org else "") + ui_plain("archive", langs)
    return page(title=title, root="", langs=langs, site=site, body=body, path="")


def site_context(organization: str, rights: str, license: str, languages: list[str], base_url: str,
                 contact: str = "", consent: dict[str, Any] | None = None) -> dict[str, Any]:
    """What every page shows of the settings (the About page also shows the contact and the consent)."""
    consent = consent or {}
    return {"organization": organization or "", "rights": rights or "", "license": license or "",
            "languages": ui_languages(languages), "base_url": base_url, "contact": contact or "",
            "consent": {k: dict(consent.get(k) or {}) for k in ("question", "explanation", "public", "print")}}
