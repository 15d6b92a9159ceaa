"""The archive's pages about itself: About (the exhibition, consent, removal, licence), 404, withdrawn.

404.html is served by `kiosk archive serve` (and by any web server told to, see docs/archive.md)
for an address that leads nowhere, at any depth: so its links start from the site's root
path, taken from the base URL ("/" without one), rather than from where the file lies.
A withdrawn answer's page stands at its old address r/{id}/index.html, because printed QR
codes still lead there; it shows nothing of the answer.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from kiosk.archive.pages import attr, dates, esc, in_languages, page, ui, ui_paras, ui_plain
from kiosk.archive.strings import word


def about_page(ctx: dict[str, Any]) -> str:
    """about/index.html."""
    site = ctx["site"]
    langs = site["languages"]
    root = "../"
    consent = site["consent"]
    sessions = "".join(
        f'<li><a href="{root}s/{attr(s["slug"])}/index.html" dir="auto">{esc(s["title"])}</a>'
        + "".join(f' <span class="other"> · {x}</span>' for x in (
            f'<span dir="auto">{esc(s["place"])}</span>' if s["place"] else "",
            dates(s["date"], langs[:1]) if s["date"] else "") if x) + "</li>"
        for s in ctx["sessions"])
    asked = ""
    if consent.get("question"):
        asked = (f'<blockquote class="asked">{in_languages(consent["question"], langs[0], "p", "q")}'
                 + (in_languages(consent["public"], langs[0], "p", "") if consent.get("public") else "")
                 + "</blockquote>")
    contact = site["contact"]
    if contact:
        removal = f'{ui_paras("removal_contact", langs)}\n<p class="contact"><span class="url">{esc(contact)}</span></p>'
    else:
        removal = ui_paras("removal_no_contact", langs)
    licence = ""
    if site["license"] or site["rights"]:
        licence = (f'<section id="licence"><h2>{ui("license", langs)}</h2>\n'
                   + (f'<p dir="auto">{esc(site["rights"])}</p>\n' if site["rights"] else "")
                   + (f'{ui_paras("license_is", langs)}\n<p><span class="url" dir="auto">{esc(site["license"])}</span></p>'
                      if site["license"] else "")
                   + "</section>")
    org = site["organization"]
    body = f"""<nav class="crumbs"><a href="{root}index.html">{ui("all_sessions", langs)}</a></nav>
<article class="about-page">
<h1>{ui("about", langs)}</h1>
{ui_paras("about_intro", langs, org=org or word("archive", langs[0]))}
{f'<section><h2>{ui("sessions", langs)}</h2><ul class="plain">{sessions}</ul></section>' if sessions else ""}
<section><h2>{ui("consent_title", langs)}</h2>
{ui_paras("consent_policy", langs)}
{asked}
</section>
<section><h2>{ui("removal_title", langs)}</h2>
{removal}
</section>
{licence}
</article>"""
    return page(title=ui_plain("about", langs), root=root, langs=langs, site=site,
                body=body, path="about/", rights=False)


def withdrawn_page(ctx: dict[str, Any]) -> str:
    """r/{id}/index.html of an answer published once and withdrawn since: says so, links to its session.
    `unavailable`: not withdrawn but left out as not valid (a damaged record): it says it will be back."""
    site = ctx["site"]
    langs = site["languages"]
    root = "../../"
    session = ctx["session"]
    links = [f'<li><a href="{root}index.html">{ui("all_sessions", langs)}</a></li>']
    if session:
        links.insert(0, f'<li>{ui("its_session", langs)} <a href="{root}s/{attr(session["slug"])}/index.html" '
                        f'dir="auto">{esc(session["title"])}</a></li>')
    if ctx.get("unavailable"):
        heading, text, title = (ui("unavailable_title", langs), ui_paras("unavailable_text", langs),
                                ui_plain("unavailable_title", langs))
    else:
        heading, text, title = (ui("withdrawn_title", langs), ui_paras("withdrawn_text", langs),
                                ui_plain("withdrawn_title", langs))
    body = f"""<article class="notice">
<h1>{heading}</h1>
{text}
<ul class="plain">{"".join(links)}</ul>
</article>"""
    return page(title=title, root=root, langs=langs,
                site=site, body=body, noindex=True)


def not_found_page(site: dict[str, Any]) -> str:
    """404.html: bilingual (every language of the kiosk), links from the site's root path."""
    langs = site["languages"]
    root = (urlsplit(site["base_url"]).path.rstrip("/") + "/") if site["base_url"] else "/"
    body = f"""<article class="notice">
<h1>{ui("not_found_title", langs)}</h1>
{ui_paras("not_found_text", langs)}
<ul class="plain"><li><a href="{attr(root)}index.html">{ui("all_sessions", langs)}</a></li>
<li><a href="{attr(root)}about/index.html">{ui("about", langs)}</a></li></ul>
</article>"""
    return page(title=ui_plain("not_found_title", langs), root=root, langs=langs, site=site, body=body,
                noindex=True)
