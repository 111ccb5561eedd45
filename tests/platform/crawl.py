"""A crawler over the web UI, as a first user would click through it.

It starts from the home page and the dashboard, follows every same-site link a page shows (and
submits each GET form once with its defaults and once per select with its first real option), and
records for each page: the status, the time, the language the page says it is in, and the visible
text left in the other language. ``tests/platform/test_crawl.py`` runs it over the small demo for
every role in both languages; pointed at the full demo it is the harness of a manual review.

Visible text means text nodes and the attributes a user reads (title, placeholder, alt,
aria-label, button values) outside ``<script>``, ``<style>``, ``<code>``, ``<pre>`` and
``<textarea>``. In zh-hans a node with two ASCII words is suspect; in en a node with a Chinese
character that is one of the catalogues' translations is a leak (names of records are Chinese in
the demo and are not flagged).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import lxml.html

# Paths a crawl does not follow: actions (log out, switch language), Django's own admin and the
# machine interfaces; downloads are requested but not parsed.
SKIP_PREFIXES = ("/i18n/", "/accounts/logout/", "/admin/", "/api/", "/static/", "/healthz")
HIDDEN_TAGS = {"script", "style", "code", "pre", "textarea", "svg"}
READ_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
TWO_ASCII_WORDS = re.compile(r"\b[A-Za-z][a-z]+[\s,.;:'’]+[A-Za-z]?[a-z]+\b")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NUMBERED = re.compile(r"/\d+(?=/|$)")


@dataclass
class Page:
    url: str
    status: int
    seconds: float
    referrer: str
    content_type: str = ""
    location: str = ""
    leaks: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)

    def failures(self, slow: float = 2.0) -> dict[str, list[str]]:
        """Server errors, client errors from links shown, slow pages and leaked text."""
        return {
            "server errors": [
                f"{p.status} {p.url} (from {p.referrer})" for p in self.pages if p.status >= 500
            ],
            "client errors": [
                f"{p.status} {p.url} (from {p.referrer})" for p in self.pages if 400 <= p.status < 500
            ],
            "sent to log in": [
                f"{p.url} (from {p.referrer})"
                for p in self.pages
                if p.location.startswith("/accounts/login/")
            ],
            "slow": [f"{p.seconds:.1f}s {p.url}" for p in self.pages if p.seconds > slow],
            "other language": [f"{p.url}: {leak}" for p in self.pages for leak in p.leaks],
        }


def _pattern(url: str) -> str:
    """The page kind of a URL: numbered path segments and query values do not count."""
    parts = urlsplit(url)
    keys = ",".join(sorted({k for k, _v in parse_qsl(parts.query)}))
    return NUMBERED.sub("/N", parts.path) + ("?" + keys if keys else "")


def visible_text(root: lxml.html.HtmlElement) -> Iterable[str]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if any(a.tag in HIDDEN_TAGS for a in element.iterancestors()) or element.tag in HIDDEN_TAGS:
            continue
        if element.text and element.text.strip():
            yield element.text.strip()
        for name in READ_ATTRIBUTES:
            if element.get(name):
                yield element.get(name).strip()
        if element.tag == "input" and element.get("type") in {"submit", "button"} and element.get("value"):
            yield element.get("value").strip()
        parent = element.getparent()
        if element.tail and element.tail.strip() and (parent is None or parent.tag not in HIDDEN_TAGS):
            yield element.tail.strip()


def english_left(texts: Iterable[str], allowed: Callable[[str], bool]) -> list[str]:
    return sorted({t for t in texts if TWO_ASCII_WORDS.search(t) and not allowed(t)})


def chinese_left(texts: Iterable[str], translations: frozenset[str]) -> list[str]:
    """Text in an English page that is a catalogue's Chinese (so the UI's own words, not a name)."""
    found = set()
    for text in texts:
        if not CJK.search(text):
            continue
        if text in translations or any(
            piece.strip() in translations for piece in re.split(r"[:：·|/()（）]", text)
        ):
            found.add(text)
    return sorted(found)


def _links(root: lxml.html.HtmlElement, base: str) -> list[str]:
    found = [urljoin(base, a.get("href")) for a in root.iter("a") if a.get("href")]
    for form in root.iter("form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        action = urljoin(base, form.get("action") or base)
        defaults = [
            (f.get("name"), f.get("value") or "")
            for f in form.iter("input")
            if f.get("name") and f.get("type") not in {"submit", "button", "checkbox", "radio"}
        ]
        selects = [
            (s.get("name"), [o.get("value") for o in s.iter("option") if o.get("value")])
            for s in form.iter("select")
        ]
        found.append(_with_query(action, defaults))
        for name, values in selects:
            if name and values:
                found.append(_with_query(action, [*defaults, (name, values[0])]))
    return found


def _with_query(action: str, pairs: list[tuple[str, str]]) -> str:
    kept = [(k, v) for k, v in pairs if v]
    return urlsplit(action)._replace(query=urlencode(kept), fragment="").geturl()


def crawl(
    client,
    *,
    language: str,
    start: Iterable[str] = ("/", "/registry/"),
    budget: int = 400,
    per_kind: int = 2,
    translations: frozenset[str] = frozenset(),
    allowed_english: Callable[[str], bool] = lambda text: False,
) -> Crawl:
    """Visit pages breadth-first with a Django test client (or anything with ``.get``).

    ``per_kind`` pages of each kind (``_pattern``) are visited, so a list of 100,000 instruments
    costs two detail pages, not 100,000.
    """
    result = Crawl()
    queue = [(url, "start") for url in start]
    seen_urls: set[str] = set()
    kinds: dict[str, int] = {}
    while queue and len(result.pages) < budget:
        url, referrer = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in {"", "testserver"} or parts.scheme not in {"", "http"}:
            continue
        url = parts._replace(scheme="", netloc="", fragment="").geturl()
        if url in seen_urls or url.startswith(SKIP_PREFIXES) or not url.startswith("/"):
            continue
        seen_urls.add(url)
        kind = _pattern(url)
        if kinds.get(kind, 0) >= per_kind:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        started = time.perf_counter()
        response = client.get(url)
        page = Page(url, response.status_code, time.perf_counter() - started, referrer)
        page.content_type = response.get("Content-Type", "")
        result.pages.append(page)
        if response.status_code in {301, 302}:
            page.location = response["Location"]
            queue.insert(0, (page.location, url))
            continue
        if response.status_code != 200 or not page.content_type.startswith("text/html"):
            continue
        # Decoded by the response's charset: a page without <meta charset> (the admin) is no latin-1.
        root = lxml.html.fromstring(response.content.decode(response.charset or "utf-8"))
        texts = list(visible_text(root))
        if language == "en":
            page.leaks = chinese_left(texts, translations)
        else:
            page.leaks = english_left(texts, allowed_english)
        queue.extend((link, url) for link in _links(root, "http://testserver" + url))
    return result
