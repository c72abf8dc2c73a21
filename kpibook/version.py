"""kpibook's version, in a module of its own so that any module can read it without importing
the package's public surface (which imports nearly everything)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kpibook")
except PackageNotFoundError:  # a source checkout that is not installed
    __version__ = "0.1.0"

__all__ = ["__version__"]
