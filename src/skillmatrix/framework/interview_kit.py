"""An interviewer's kit: for each focus competency, the questions to ask and what to listen for.

As in Forward Impact's Pathway, an interviewer sees the "looking for" points at the role's
target level and at the level below it: the level below tells a near miss from a clear miss.
A competency without a kit (or a level its kit leaves out) falls back to the level's behavioural
indicators, so every focus area has something concrete to listen for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from skillmatrix.framework.model import LEVELS, Competency, Framework, InterviewQuestion

PointSource = Literal["kit", "indicators"]


@dataclass(frozen=True, slots=True)
class KitLevel:
    """What a good answer shows at one level, and whether it comes from the kit or indicators."""

    level: int
    name: str
    summary: str
    points: tuple[str, ...]
    source: PointSource


@dataclass(frozen=True, slots=True)
class CompetencyKit:
    """One competency's part of an interview kit: its questions and the levels to listen for."""

    competency_id: str
    name: str
    description: str
    target: int | None
    """The role's target level; None when the role does not target the competency."""
    questions: tuple[InterviewQuestion, ...]
    levels: tuple[KitLevel, ...]
    """Highest level first: the target, then the level below (every level when no target)."""

    @property
    def has_kit(self) -> bool:
        """True when the competency has its own interview kit (not only indicators)."""
        return any(level.source == "kit" for level in self.levels) or bool(self.questions)


def _levels_to_show(target: int | None) -> tuple[int, ...]:
    if target is None:
        return tuple(reversed(LEVELS))
    return tuple(level for level in (target, target - 1) if level in LEVELS)


def _questions(competency: Competency, shown: tuple[int, ...]) -> tuple[InterviewQuestion, ...]:
    """The kit's questions that suit the levels shown; all of them if none is marked so."""
    kit = competency.interview
    if kit is None:
        return ()
    suited = tuple(q for q in kit.questions if any(q.suits(level) for level in shown))
    return suited or kit.questions


def competency_kit(framework: Framework, competency_id: str, target: int | None) -> CompetencyKit:
    """The kit of one competency at `target` (1 to 5, or None for every level)."""
    if target is not None and target not in LEVELS:
        raise ValueError(f"target level {target} is outside 1-5")
    competency = framework.competency(competency_id)
    shown = _levels_to_show(target)
    levels = []
    for number in shown:
        level = competency.level(number)
        points = competency.interview.looking_for_at(number) if competency.interview else ()
        levels.append(
            KitLevel(
                number,
                framework.level_name(number),
                level.summary,
                points or level.indicators,
                "kit" if points else "indicators",
            )
        )
    return CompetencyKit(
        competency.id,
        competency.name,
        competency.description,
        target,
        _questions(competency, shown),
        tuple(levels),
    )


def interview_kit(
    framework: Framework,
    targets: Mapping[str, int],
    focus: Iterable[str] | None = None,
) -> tuple[CompetencyKit, ...]:
    """The kit for `focus` competencies (default: every target) at the `targets` levels.

    Competencies come in the order of `targets`, then focus competencies the targets leave out
    (shown at every level, as there is no target to aim at). An unknown competency id raises
    KeyError.
    """
    wanted = list(targets) if focus is None else list(dict.fromkeys(focus))
    for competency_id in wanted:
        framework.competency(competency_id)  # KeyError early, before any work
    ordered = [c for c in targets if c in wanted] + [c for c in wanted if c not in targets]
    return tuple(competency_kit(framework, c, targets.get(c)) for c in ordered)


def role_interview_kit(
    framework: Framework, role_id: str, focus: Iterable[str] | None = None
) -> tuple[CompetencyKit, ...]:
    """The kit for a role's targets (or the `focus` subset of them) at the role's levels."""
    role = framework.role(role_id)
    return interview_kit(framework, {t.competency: t.level for t in role.targets}, focus)
