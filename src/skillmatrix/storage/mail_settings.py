"""The `[smtp]` settings: where notification mail goes, from a TOML file or the environment.

The file is `.streamlit/secrets.toml` (next to the app's `[auth]`), or the file named by
SKILLMATRIX_SMTP_CONFIG, or the one given to `skillmatrix notify send --smtp-config`. Environment
variables (SKILLMATRIX_SMTP_HOST, ...) override single keys. No host means no mail: notices stay
in the app's To do list. The password is never shown: not in repr, errors, nor logs.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmatrix.errors import InputError

SMTP_CONFIG_ENV = "SKILLMATRIX_SMTP_CONFIG"
DEFAULT_SMTP_CONFIG = Path(".streamlit/secrets.toml")
SMTP_KEYS = (
    "host",
    "port",
    "starttls",
    "ssl",
    "username",
    "password",
    "from",
    "timeout",
    "app_url",
)
SMTP_ENV = {key: f"SKILLMATRIX_SMTP_{key.upper()}" for key in SMTP_KEYS}
"""The environment variable of each `[smtp]` key (SKILLMATRIX_SMTP_HOST, ..._FROM, ...)."""
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """How to reach the mail server, and the sender address."""

    host: str
    from_address: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0
    app_url: str = ""
    """The app's address, for a link in each mail (optional)."""

    @property
    def is_encrypted(self) -> bool:
        """True when the connection is TLS (STARTTLS or implicit)."""
        return self.starttls or self.ssl


def smtp_settings(
    environ: Mapping[str, str] | None = None, path: Path | str | None = None
) -> SmtpSettings | None:
    """The configured SMTP settings, or None when no host is configured (mail is off).

    `path` (or $SKILLMATRIX_SMTP_CONFIG, or .streamlit/secrets.toml when it exists) is read
    for an `[smtp]` section; the environment overrides single keys. Bad values raise InputError
    naming the file and key.
    """
    env = os.environ if environ is None else environ
    chosen = path or env.get(SMTP_CONFIG_ENV) or None
    where = str(chosen) if chosen else str(DEFAULT_SMTP_CONFIG)
    values: dict[str, Any] = dict(_read_section(Path(chosen) if chosen else None))
    for key, name in SMTP_ENV.items():
        if env.get(name):
            values[key] = env[name]
    unknown = sorted(set(values) - set(SMTP_KEYS))
    if unknown:
        raise InputError(
            f"{where}: [smtp] {unknown[0]}: unknown key (known: {', '.join(SMTP_KEYS)})"
        )
    host = _text(values, "host", where)
    if not host:
        return None
    sender = _text(values, "from", where)
    if not sender or "@" not in sender or any(c in sender for c in "\r\n"):
        raise InputError(f"{where}: [smtp] from: give the sender's email address")
    ssl = _flag(values, "ssl", False, where)
    settings = SmtpSettings(
        host=host,
        from_address=sender,
        port=_port(values, 465 if ssl else 587, where),
        starttls=_flag(values, "starttls", not ssl, where),
        ssl=ssl,
        username=_text(values, "username", where),
        password=_text(values, "password", where, secret=True),
        timeout=_timeout(values, where),
        app_url=_text(values, "app_url", where),
    )
    if settings.starttls and settings.ssl:
        raise InputError(f"{where}: [smtp] starttls: cannot be used together with ssl = true")
    if settings.username and not settings.is_encrypted and host not in LOOPBACK_HOSTS:
        raise InputError(
            f"{where}: [smtp] username: a password is never sent unencrypted to {host}; "
            "set starttls = true or ssl = true"
        )
    return settings


def _read_section(path: Path | None) -> Mapping[str, Any]:
    """The `[smtp]` table of the file (a missing default file is no configuration)."""
    target = path or DEFAULT_SMTP_CONFIG
    if path is None and not target.is_file():
        return {}
    try:
        document = tomllib.loads(target.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{target}: cannot read: {error.strerror}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        # tomllib's message names the line and column, never a value.
        raise InputError(f"{target}: not valid TOML: {error}") from None
    section = document.get("smtp", {})
    if not isinstance(section, dict):
        raise InputError(f"{target}: [smtp] must be a table (section), not a single value")
    return section


def _text(values: Mapping[str, Any], key: str, where: str, *, secret: bool = False) -> str:
    value = values.get(key, "")
    if not isinstance(value, str):
        shown = "a non-text value" if secret else repr(value)
        raise InputError(f"{where}: [smtp] {key}: must be text, not {shown}")
    return value.strip() if not secret else value


def _flag(values: Mapping[str, Any], key: str, default: bool, where: str) -> bool:
    value = values.get(key, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise InputError(f"{where}: [smtp] {key}: must be true or false, not {value!r}")


def _port(values: Mapping[str, Any], default: int, where: str) -> int:
    value = values.get("port", default)
    try:
        port = int(value) if not isinstance(value, bool) else -1
    except (TypeError, ValueError):
        port = -1
    if not 1 <= port <= 65535:
        raise InputError(f"{where}: [smtp] port: must be a number from 1 to 65535, not {value!r}")
    return port


def _timeout(values: Mapping[str, Any], where: str) -> float:
    value = values.get("timeout", 30)
    try:
        seconds = float(value) if not isinstance(value, bool) else -1.0
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 < seconds <= 600:
        raise InputError(f"{where}: [smtp] timeout: must be seconds from 0 to 600, not {value!r}")
    return seconds
