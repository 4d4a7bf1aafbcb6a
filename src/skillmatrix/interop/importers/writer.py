"""Write an imported framework folder atomically: all of it, validated, or nothing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from skillmatrix.errors import FrameworkError, InputError
from skillmatrix.framework.issues import Issue, Severity
from skillmatrix.framework.loader import check_framework
from skillmatrix.framework.model import Framework
from skillmatrix.framework.validation import COMPETENCY_DIR, FRAMEWORK_FILE, ROLE_DIR
from skillmatrix.framework.validation.indicators import normalise

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

Progress = Callable[[int], None]


class _Dumper(_BaseDumper):
    """The fast C dumper, without anchors: the validator rejects YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """YAML text for `data`: keys in the given order, Unicode kept, long lines not folded."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000)


@dataclass(slots=True)
class FrameworkBundle:
    """An imported framework in memory: its documents, the files to copy beside them, notes."""

    settings: dict[str, Any]
    competencies: dict[str, dict[str, Any]]
    roles: dict[str, dict[str, Any]]
    copies: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    header: str = ""

    @property
    def file_count(self) -> int:
        """How many files writing the bundle creates."""
        return 1 + len(self.competencies) + len(self.roles) + len(self.copies)

    def drop_unused_competencies(self) -> list[str]:
        """Remove competencies no role targets (a --strict warning otherwise); return their ids."""
        used = {c for role in self.roles.values() for c in role.get("targets", {})}
        dropped = sorted(set(self.competencies) - used)
        for ident in dropped:
            del self.competencies[ident]
        if dropped:
            self.notes.append(
                f"left out {len(dropped)} competencies no role uses: " + ", ".join(dropped)
            )
        return dropped

    def drop_repeated_indicators(self) -> int:
        """Drop indicators that repeat another of their competency word for word.

        The validator refuses such repeats, and an import cannot reword the source. Levels are
        cumulative, so a copy adds nothing: the first one is kept (or the one that is its level's
        only indicator) and the others go, as long as their level keeps an indicator. Returns how
        many were dropped.
        """
        dropped = sum(_drop_repeats(doc["levels"]) for doc in self.competencies.values())
        if dropped:
            self.notes.append(
                f"left out {dropped} indicators that repeat another of their competency exactly"
            )
        return dropped

    def settle_min_indicators(self) -> int:
        """Set `evidence.min_indicators` to the fewest indicators any level has (1 to 20).

        An import cannot invent behaviours, so the framework asks for what the data supplies.
        Exact repeats are dropped first (see `drop_repeated_indicators`).
        """
        self.drop_repeated_indicators()
        # Sources repeat sentences across competencies and nearly repeat them across levels;
        # an import cannot reword them, so those warnings are turned off (exact repeats within
        # a competency were dropped above and stay errors).
        self.settings.setdefault("checks", {})["near_repeats"] = "ignore"
        counts = [
            len(level["indicators"])
            for doc in self.competencies.values()
            for level in doc["levels"].values()
        ]
        fewest = max(1, min(20, min(counts, default=1)))
        self.settings.setdefault("evidence", {})["min_indicators"] = fewest
        return fewest

    def drop_roles_without_targets(self) -> list[str]:
        """Remove roles left with no targets, and `next` edges to them; return their ids."""
        dropped = sorted(ident for ident, role in self.roles.items() if not role.get("targets"))
        for ident in dropped:
            del self.roles[ident]
        for role in self.roles.values():
            if "next" in role:
                role["next"] = [n for n in role["next"] if n not in dropped]
        if dropped:
            self.notes.append(
                f"left out {len(dropped)} roles with no targets left: " + ", ".join(dropped)
            )
        return dropped


def _drop_repeats(by_level: dict[Any, dict[str, Any]]) -> int:
    """Drop repeated indicators of one competency's levels in place; return how many went."""
    levels = [lv for _, lv in sorted(by_level.items(), key=lambda kv: int(kv[0]))]
    places: dict[str, list[tuple[int, int]]] = {}
    for number, level in enumerate(levels):
        for index, text in enumerate(level["indicators"]):
            key = normalise(text) if isinstance(text, str) else repr(text)
            places.setdefault(key, []).append((number, index))
    gone: set[tuple[int, int]] = set()

    def remaining(number: int) -> int:
        return len(levels[number]["indicators"]) - sum(1 for g in gone if g[0] == number)

    for copies in places.values():
        if len(copies) < 2:
            continue
        # Keep the copy whose level has nothing else left; otherwise the first.
        keeper = min(copies, key=lambda c: (remaining(c[0]) > 1, c))
        for copy in copies:
            if copy != keeper and remaining(copy[0]) > 1:
                gone.add(copy)
    for number, level in enumerate(levels):
        level["indicators"] = [
            text for i, text in enumerate(level["indicators"]) if (number, i) not in gone
        ]
    return len(gone)


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What writing a bundle produced, with the framework as the validator loaded it."""

    path: Path
    competencies: int
    roles: int
    warnings: tuple[Issue, ...]
    framework: Framework | None = None


def check_destination(out: Path, force: bool) -> None:
    """Raise an InputError unless `out` is missing, an empty folder, or `force` is given."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; nothing was written")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError(
            f"{out}: the folder is not empty; choose another OUT or pass --force to replace it;"
            " nothing was written"
        )


def _write_files(bundle: FrameworkBundle, root: Path, progress: Progress | None) -> None:
    header = "".join(f"# {line}\n" for line in bundle.header.splitlines())

    def write(path: Path, data: Any) -> None:
        path.write_text(header + dump_yaml(data), "utf-8")
        if progress:
            progress(1)

    write(root / FRAMEWORK_FILE, bundle.settings)
    (root / COMPETENCY_DIR).mkdir()
    (root / ROLE_DIR).mkdir()
    for ident, doc in bundle.competencies.items():
        write(root / COMPETENCY_DIR / f"{ident}.yaml", doc)
    for ident, doc in bundle.roles.items():
        write(root / ROLE_DIR / f"{ident}.yaml", doc)
    for name, source in bundle.copies.items():
        shutil.copyfile(source, root / name)
        if progress:
            progress(1)


def write_framework_folder(
    bundle: FrameworkBundle,
    out: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> WriteResult:
    """Write `bundle` as a framework folder at `out`, atomically and validated.

    The folder is built in a hidden temporary sibling, validated with the project's own
    validator, and renamed into place only when that succeeds; a non-empty `out` is replaced
    only with `force`. On any failure nothing is left behind and `out` is unchanged.
    """
    out = Path(out)
    check_destination(out, force)
    created: list[Path] = []
    parent = out.parent if str(out.parent) else Path(".")
    for ancestor in reversed([parent, *parent.parents]):
        if not ancestor.exists():
            ancestor.mkdir()
            created.append(ancestor)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".importing", dir=parent))
    try:
        _write_files(bundle, tmp, progress)
        report, framework = check_framework(tmp, use_cache=False)
        if report.errors:
            errors = [i for i in report.issues if i.severity is Severity.ERROR]
            raise FrameworkError(
                f"{out}: the imported framework does not validate ({len(errors)} error(s));"
                " nothing was written",
                errors,
            )
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for ancestor in reversed(created):
            ancestor.rmdir()
        raise
    warnings = tuple(i for i in report.issues if i.severity is Severity.WARNING)
    return WriteResult(out, len(bundle.competencies), len(bundle.roles), warnings, framework)


def _swap_into_place(tmp: Path, out: Path) -> None:
    if not out.exists():
        tmp.rename(out)
        return
    # Move the old folder aside first so that a failed rename can put it back untouched.
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".replaced", dir=tmp.parent))
    aside.rmdir()
    out.rename(aside)
    try:
        tmp.rename(out)
    except BaseException:
        aside.rename(out)
        raise
    shutil.rmtree(aside, ignore_errors=True)
