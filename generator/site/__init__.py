"""The website: `python -m generator site` writes the generated pages of docs/ (tables,
entries, layout conventions, errata, downloads) from the verified catalogue."""
from .build import build_site, generate

__all__ = ["build_site", "generate"]
