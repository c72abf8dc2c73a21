"""Where the bundled roles.toml and templates/ live, installed or in a checkout.

A wheel carries them in kpibook/_data/ (see pyproject.toml); a source checkout or an
editable install has them at the repository's top level, beside the package.
"""

from __future__ import annotations

from pathlib import Path

from kpibook.messages import t

_PACKAGE_DIR = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(t("general.bundled_missing", name=name))


def bundled_spec_path() -> Path:
    return _find("roles.toml")


def templates_dir() -> Path:
    return _find("templates")


def samples_dir() -> Path:
    return _find("samples")
