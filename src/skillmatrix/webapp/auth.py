"""Local or shared mode, and who a signed-in user is: the app's sign-in logic without widgets.

The app runs in one of two modes:

* **local** (the embedded default): no sign-in; the sidebar's "Act as" picker chooses who you
  are. Only when no `[auth]` section is configured.
* **shared**: `.streamlit/secrets.toml` has an `[auth]` section (Streamlit's OIDC settings).
  Everyone signs in with `st.login()`; the identity provider's email and group claims are
  mapped to a person and roles by the admin-managed identity mapping
  (`services.resolve_actor`). There is no way to act as someone else: `SKILLMATRIX_MODE=local`
  cannot switch an `[auth]` deployment back to local mode.

Everything here is plain Python; `app.py` draws the login, "not authorised" and sidebar widgets
around it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from skillmatrix.errors import PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import Actor, Store, services
from skillmatrix.webapp.context import AppContext, CurrentUser

MODE_ENV = "SKILLMATRIX_MODE"
"""`local` or `shared`; `shared` refuses local mode even without `[auth]` (fail closed)."""
GROUPS_CLAIM_ENV = "SKILLMATRIX_GROUPS_CLAIM"
"""The ID-token claim that lists the user's groups, when secrets.toml does not name it."""
DEFAULT_GROUPS_CLAIM = "groups"
SETTINGS_SECTION = "skillmatrix"
"""The secrets.toml section of skillmatrix's own settings (`groups_claim`)."""
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
"""What Streamlit needs for each identity provider."""
CALLBACK_PATH = "/oauth2callback"
SHORT_COOKIE_SECRET = 32
"""Cookie secrets shorter than this many characters are reported as weak."""
SHARED_MODE_LABEL = (
    "Shared mode: you are signed in through your organisation's identity provider; "
    "what you see follows the roles an administrator gave you."
)
NO_ACCESS_TITLE = "Not authorised"


class Mode(StrEnum):
    """How the app knows who its user is."""

    LOCAL = "local"
    SHARED = "shared"


@dataclass(frozen=True, slots=True)
class ModeDecision:
    """The mode the app runs in, why, and what is wrong with its sign-in configuration."""

    mode: Mode
    groups_claim: str = DEFAULT_GROUPS_CLAIM
    providers: tuple[str | None, ...] = ()
    """The `st.login` provider arguments to offer: None for the default provider."""
    problems: tuple[str, ...] = ()
    """Configuration errors: in shared mode the app refuses to run until they are fixed."""
    notes: tuple[str, ...] = ()
    """Configuration warnings for the server log (never secret values)."""

    @property
    def is_shared(self) -> bool:
        """True when users must sign in (whether or not the configuration is complete)."""
        return self.mode is Mode.SHARED


class SecretsSource(Protocol):
    """The part of `st.secrets` this module reads."""

    def load_if_toml_exists(self) -> bool:
        """True when a secrets file was found and parsed."""

    def to_dict(self) -> dict[str, Any]:
        """The secrets as nested dicts."""


def read_secrets(secrets: SecretsSource, files: Iterable[str]) -> Mapping[str, Any] | None:
    """The app's secrets; {} when there is no secrets file, None when one exists but is unreadable.

    Streamlit treats an unparseable secrets.toml like a missing one. Telling them apart lets the
    app fail closed: a broken file of a shared deployment must not fall back to local mode.
    """
    if secrets.load_if_toml_exists():
        return secrets.to_dict()
    if any(Path(path).expanduser().exists() for path in files):
        return None
    return {}


def _is_provider(section: object) -> bool:
    return isinstance(section, Mapping) and any(key in section for key in PROVIDER_KEYS)


def login_providers(auth: Mapping[str, Any]) -> tuple[str | None, ...]:
    """The providers a user may sign in with: None for `[auth]`'s own keys, then named ones."""
    named = tuple(
        name for name, section in auth.items() if name != "client_kwargs" and _is_provider(section)
    )
    return ((None,) if _is_provider(auth) else ()) + tuple(sorted(named))


def auth_config_problems(auth: object) -> list[str]:
    """Everything missing or malformed in an `[auth]` section (never quoting secret values)."""
    if not isinstance(auth, Mapping):
        return ["secrets.toml: [auth] must be a table (section), not a single value"]
    problems: list[str] = []
    for key in ("redirect_uri", "cookie_secret"):
        if not str(auth.get(key) or "").strip():
            problems.append(f"secrets.toml: [auth] {key} is missing or empty")
    redirect = str(auth.get("redirect_uri") or "")
    if redirect:
        parsed = urlparse(redirect.replace("{port}", "8501"))
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            problems.append(
                f"secrets.toml: [auth] redirect_uri {redirect!r} must be an absolute http(s) URL"
            )
        elif not parsed.path.endswith(CALLBACK_PATH):
            problems.append(
                f"secrets.toml: [auth] redirect_uri {redirect!r} must end with {CALLBACK_PATH}"
            )
    providers = login_providers(auth)
    if not providers:
        problems.append(
            "secrets.toml: [auth] names no identity provider: give client_id, client_secret "
            "and server_metadata_url in [auth] or in a provider section such as [auth.okta]"
        )
    for provider in providers:
        section = auth if provider is None else auth[provider]
        where = "[auth]" if provider is None else f"[auth.{provider}]"
        problems.extend(
            f"secrets.toml: {where} {key} is missing or empty"
            for key in PROVIDER_KEYS
            if not str(section.get(key) or "").strip()
        )
        if provider is not None and "_" in provider:
            # Streamlit refuses provider names with underscores at login time.
            problems.append(f"secrets.toml: {where}: a provider name may not contain '_'")
    return problems


def groups_claim_name(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """The claim that lists groups: secrets.toml [skillmatrix] groups_claim, else the env, else
    "groups"."""
    settings = secrets.get(SETTINGS_SECTION)
    configured = settings.get("groups_claim") if isinstance(settings, Mapping) else None
    for candidate in (configured, environ.get(GROUPS_CLAIM_ENV)):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return DEFAULT_GROUPS_CLAIM


def decide_mode(secrets: Mapping[str, Any] | None, environ: Mapping[str, str]) -> ModeDecision:
    """Local or shared mode from the secrets (None: a file that could not be read) and the env.

    Shared whenever `[auth]` is present, whatever SKILLMATRIX_MODE says; also shared (with a
    problem to fix) when the secrets file is unreadable or SKILLMATRIX_MODE asks for shared mode
    without `[auth]`. Only the absence of all of these gives local mode.
    """
    requested = environ.get(MODE_ENV, "").strip().lower()
    if secrets is None:
        return ModeDecision(
            Mode.SHARED,
            problems=("a secrets.toml file exists but could not be read: fix its TOML syntax",),
        )
    claim = groups_claim_name(secrets, environ)
    notes: list[str] = []
    problems: list[str] = []
    if requested not in {"", Mode.LOCAL, Mode.SHARED}:
        problems.append(f"{MODE_ENV}={requested!r}: use 'local' or 'shared'")
    if "auth" in secrets:
        auth = secrets["auth"]
        problems.extend(auth_config_problems(auth))
        if requested == Mode.LOCAL:
            notes.append(f"{MODE_ENV}=local ignored: [auth] is configured, so sign-in is required")
        cookie = str(auth.get("cookie_secret") or "") if isinstance(auth, Mapping) else ""
        if cookie and len(cookie) < SHORT_COOKIE_SECRET:
            notes.append(
                f"[auth] cookie_secret is shorter than {SHORT_COOKIE_SECRET} characters: "
                "use a long random value (python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        providers = login_providers(auth) if isinstance(auth, Mapping) else ()
        return ModeDecision(Mode.SHARED, claim, providers, tuple(problems), tuple(notes))
    if requested == Mode.SHARED:
        problems.append(
            f"{MODE_ENV}=shared but secrets.toml has no [auth] section: configure sign-in "
            "(see docs/deployment.md)"
        )
    if problems:
        # A mistyped or unfulfilled request for shared mode must not fall back to local mode.
        return ModeDecision(Mode.SHARED, claim, problems=tuple(problems))
    return ModeDecision(Mode.LOCAL, claim)


LOCAL_MODE_REFUSED_TITLE = "skillmatrix: local mode runs on this machine only"
LOOPBACK_NAMES = frozenset({"localhost", "localhost."})
"""Host names that are the loopback interface; any other name could be a network address."""


def is_loopback(address: object) -> bool:
    """True when `address` (Streamlit's `server.address`) is a loopback address or localhost.

    Empty or None means every interface; a host name other than localhost, a Unix socket and
    anything unparseable count as not loopback (fail closed).
    """
    if not isinstance(address, str) or not address.strip():
        return False
    host = address.strip().lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        parsed = ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    mapped = getattr(parsed, "ipv4_mapped", None)
    return bool(parsed.is_loopback or (mapped is not None and mapped.is_loopback))


def local_mode_refusal(address: object) -> str | None:
    """Why local mode must not serve on `address` (`server.address`), or None on loopback.

    Local mode has no sign-in: whoever reaches the page can act as anyone, with HR rights. It
    may therefore only listen on the loopback interface of the machine it runs on.
    """
    if is_loopback(address):
        return None
    if not isinstance(address, str) or not address.strip():
        where = "every network interface (server.address is not set)"
    elif address.strip() in {"0.0.0.0", "::", "[::]"}:
        where = f"every network interface ({address.strip()})"
    else:
        where = f"{address.strip()}, which is not a loopback address"
    return (
        "Local mode has no sign-in (anyone who reaches it can act as anyone, with HR rights), "
        f"so it only runs on 127.0.0.1 or localhost, but this server listens on {where}. "
        "To use skillmatrix on this machine, start it with `make app` (or `streamlit run "
        "app.py --server.address 127.0.0.1`). To serve other people, configure shared mode "
        "with sign-in, as docs/deployment.md describes."
    )


def signed_in_claims(user_info: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The identity claims of a signed-in user (`st.user.to_dict()`), or None when signed out.

    Only an explicit `is_logged_in: True` counts: the claims then come from an ID token the
    provider signed, carried in a cookie Streamlit signed with the cookie secret.
    """
    if user_info.get("is_logged_in") is not True:
        return None
    return user_info


def claim_groups(claims: Mapping[str, Any], name: str) -> tuple[str, ...]:
    """The groups in claim `name`: a list of strings or one string; a.b.c walks nested claims.

    The exact name is tried first, because some providers put dots in claim names
    (https://example.org/groups).
    """
    value: Any = claims.get(name)
    if value is None and "." in name:
        value = claims
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence):
        return ()
    return tuple(sorted({g.strip() for g in value if isinstance(g, str) and g.strip()}))


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A user the identity mapping accepted: the actor they act as, and how they signed in."""

    actor: Actor
    email: str
    display_name: str
    groups: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """Who is signed in, as the sidebar shows it."""
        if self.display_name and self.display_name != self.email:
            return f"{self.display_name} ({self.email})"
        return self.email


def sign_in(store: Store, claims: Mapping[str, Any], groups_claim: str) -> SignedIn:
    """Map a signed-in user's claims to an actor through the admin-managed identity mapping.

    Raises PermissionDeniedError, with a message the user can act on, when the provider gave no
    usable email, says the email is unverified, or the mapping knows neither the email nor any
    of the groups.
    """
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        raise PermissionDeniedError(
            "Your sign-in did not provide an email address; skillmatrix needs one to know you. "
            "Ask your administrator to check the identity provider's email scope."
        )
    if claims.get("email_verified") is False:
        # An unverified address could be anyone's: never map it to a person.
        raise PermissionDeniedError(
            f"The identity provider says your email address {email.strip()} is not verified. "
            "Verify it with your provider, then sign in again."
        )
    groups = claim_groups(claims, groups_claim)
    actor = services.resolve_actor(store, email, groups)
    name = claims.get("name")
    display = name.strip() if isinstance(name, str) and name.strip() else actor.name
    return SignedIn(actor, email.strip().lower(), display, groups)


@dataclass(frozen=True, slots=True)
class SignedInUser(CurrentUser):
    """The current user of shared mode: acts as the actor the identity mapping resolved."""

    signed_in: SignedIn | None = None

    @property
    def actor(self) -> Actor:
        """The resolved actor, never the local admin (fails closed when it is missing)."""
        if self.signed_in is None:
            raise PermissionDeniedError("nobody is signed in")
        return self.signed_in.actor

    @property
    def label(self) -> str:
        """The signed-in user and their roles."""
        who = self.signed_in.label if self.signed_in else "nobody"
        return f"{who} · {', '.join(sorted(self.roles)) or 'no roles'}"


def signed_in_context(store: Store, framework: Framework, signed_in: SignedIn) -> AppContext:
    """The page context of a signed-in user: only the people and requisitions they may see."""
    actor = signed_in.actor
    people = tuple(services.list_people(store, actor))
    requisitions = tuple(services.list_requisitions(store, actor))
    person = next((p for p in people if p.id == actor.person_id), None)
    if person is None and actor.person_id is not None:
        person = services.get_person(store, actor, actor.person_id)
        people = (person, *people)
    user = SignedInUser(person, actor.roles, Mode.SHARED.value, signed_in)
    return AppContext(framework, store, user, people, requisitions)


def roles_text(roles: Iterable[str]) -> str:
    """Roles as the sidebar lists them."""
    return ", ".join(sorted(roles)) or "none"
