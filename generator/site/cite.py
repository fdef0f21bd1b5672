"""How to cite an entry: a BibTeX record and a line of plain text, each naming the version
and the entry's permalink (derived from its id alone)."""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from .escape import bibtex_text, oneline


@dataclass(frozen=True)
class SiteInfo:
    name: str
    url: str                      # site_url, ending in '/'
    directory_urls: bool
    version: str
    date: datetime.date | None    # from SOURCE_DATE_EPOCH only: no build timestamps

    def permalink(self, entry_id: str) -> str:
        return self.url + (f"entries/{entry_id}/" if self.directory_urls
                           else f"entries/{entry_id}.html")


def build_date() -> datetime.date | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date()


def bibtex(site: SiteInfo, entry_id: str, name: str) -> str:
    fields = [("title", "{" + bibtex_text(name) + "}"),
              ("author", "{" + bibtex_text(site.name) + "}"),
              ("howpublished", r"\url{" + site.permalink(entry_id) + "}"),
              ("note", bibtex_text(f"Entry {entry_id}, version {site.version}"))]
    if site.date:
        fields += [("year", str(site.date.year)), ("month", str(site.date.month))]
    body = ",\n".join(f"  {k:<12} = {{{v}}}" for k, v in fields)
    return f"@misc{{mcr-{entry_id},\n{body}\n}}\n"


def plain(site: SiteInfo, entry_id: str, name: str) -> str:
    dated = f" ({site.date.isoformat()})" if site.date else ""
    return (f"{oneline(site.name)}, “{oneline(name)}”, entry {entry_id}, version "
            f"{site.version}{dated}. {site.permalink(entry_id)}")
