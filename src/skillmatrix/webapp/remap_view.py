"""Show an assessment made on an older framework edition in the current edition's terms.

The stored assessment is never changed: it stays as written, on the edition it was made with.
This view translates its ratings through the recorded remaps (`skillmatrix db remap`) and the
`renamed_from` declarations of the current edition, and scores the result on the current role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from skillmatrix.engine.scoring import RoleFit, role_fit
from skillmatrix.errors import ScoringError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import Actor, AssessmentRecord, Resource, Store, services
from skillmatrix.storage.services.frameworks import Translator


@dataclass(frozen=True, slots=True)
class RemappedRating:
    """One rating as written, and how it reads in the current edition (None id: no equivalent)."""

    old_id: str
    old_level: int | None
    new_id: str | None
    new_level: int | None

    @property
    def status(self) -> str:
        """'unchanged', 'renamed', 're-levelled', 'renamed and re-levelled' or 'dropped'."""
        if self.new_id is None:
            return "dropped"
        renamed = self.new_id != self.old_id
        relevelled = self.new_level != self.old_level
        if renamed and relevelled:
            return "renamed and re-levelled"
        return "renamed" if renamed else ("re-levelled" if relevelled else "unchanged")


@dataclass(frozen=True, slots=True)
class AssessmentView:
    """An assessment as written, beside its reading in the current framework edition."""

    assessment: AssessmentRecord
    current_version: str
    role_id: str | None
    ratings: tuple[RemappedRating, ...]
    fit: RoleFit | None

    @property
    def written_version(self) -> str:
        """The short content hash of the edition the assessment was made with."""
        return self.assessment.framework_hash[:12]

    @property
    def current_levels(self) -> dict[str, int | None]:
        """Current competency id -> level, for the ratings that have a current equivalent."""
        return {r.new_id: r.new_level for r in self.ratings if r.new_id is not None}

    @property
    def dropped(self) -> tuple[str, ...]:
        """Old competency ids with no equivalent in the current edition."""
        return tuple(r.old_id for r in self.ratings if r.new_id is None)


def current_role_id(role_id: str, framework: Framework) -> str | None:
    """The role's id in `framework`: itself, the role that declares it in renamed_from, or None."""
    if role_id in framework.roles:
        return role_id
    for role in framework.roles.values():
        if role_id in role.renamed_from:
            return role.id
    return None


def _fit(
    framework: Framework, role_id: str | None, levels: Mapping[str, int | None]
) -> RoleFit | None:
    if role_id is None:
        return None
    try:
        return role_fit(framework, role_id, dict(levels))
    except ScoringError:
        return None  # a role without targets has no fit to show


def assessment_in_current(
    store: Store, actor: Actor, assessment_id: int, framework: Framework
) -> AssessmentView:
    """Read assessment `assessment_id` in `framework`'s ids and levels, through recorded remaps."""
    record = services.get_assessment(store, actor, assessment_id)
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize(
            "assessment.read",
            Resource(
                "assessment",
                record.id,
                subject_id=record.subject_id,
                rater_id=record.rater_id,
                requisition_id=record.requisition_id,
                facts={"kind": record.kind, "status": record.status},
            ),
        )
        translator = Translator(uow.session, framework)
        ratings = []
        for rating in record.ratings:
            translated = translator.translate(
                record.framework_hash, rating.competency_id, rating.level
            )
            new_id, new_level = translated if translated is not None else (None, None)
            ratings.append(RemappedRating(rating.competency_id, rating.level, new_id, new_level))
    role_id = current_role_id(record.role_id, framework)
    view_levels = {r.new_id: r.new_level for r in ratings if r.new_id is not None}
    return AssessmentView(
        assessment=record,
        current_version=framework.version,
        role_id=role_id,
        ratings=tuple(ratings),
        fit=_fit(framework, role_id, view_levels),
    )


def remap_levels(
    levels: Mapping[str, int | None],
    current: Framework,
    *,
    renames: Mapping[str, str] | None = None,
    level_maps: Mapping[str, Mapping[int, int]] | None = None,
) -> tuple[RemappedRating, ...]:
    """Translate levels written on an older edition without a store.

    `renames` (old id -> current id, for example from a diff's renames) and `level_maps` (old
    id -> {old level: new level}) come first; then `renamed_from` in `current`; an id that is
    still current maps to itself. Anything else is dropped.
    """
    renames = renames or {}
    level_maps = level_maps or {}
    declared = {old: c.id for c in current.competencies.values() for old in c.renamed_from}
    out = []
    for old_id, level in levels.items():
        new_id = renames.get(old_id) or (old_id if old_id in current.competencies else None)
        new_id = new_id or declared.get(old_id)
        if new_id is not None and new_id not in current.competencies:
            new_id = None
        new_level = level
        if new_id is not None and level is not None:
            new_level = level_maps.get(old_id, {}).get(level, level)
        out.append(RemappedRating(old_id, level, new_id, new_level if new_id else None))
    return tuple(out)
