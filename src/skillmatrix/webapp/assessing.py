"""Rating forms: what to rate against a role, the form's state, and drafts saved and submitted.

Shared by the self-assessment, manager review and interview scorecard pages. The form state
lives in a mapping (Streamlit's session state in the app, a dict in tests) under keys that name
the assessment and competency, so a page only draws widgets on those keys.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from skillmatrix.engine.ratings import derive_level, rate
from skillmatrix.engine.scoring import scored_role
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import AssessmentRecord, RatingInput, RatingRecord, Store, services
from skillmatrix.storage.access import Actor
from skillmatrix.webapp.safe_text import clean_note

PICK = "Pick a level"
TICK = "Tick indicators"
NOT_OBSERVED = "Not observed"
METHODS = (PICK, TICK, NOT_OBSERVED)
"""How a rater answers one competency."""

NO_EVIDENCE_LABEL = "0 · No evidence of level 1 yet"
KEEP_DERIVED = "keep"
"""The override choice that keeps the derived level (Streamlit shows a None choice as empty)."""


@dataclass(frozen=True, slots=True)
class LevelText:
    """One level of a competency as the form shows it: number, name, summary, indicators."""

    level: int
    name: str
    summary: str
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompetencyPrompt:
    """One competency to rate against a role's target, with its behavioural anchors."""

    id: str
    name: str
    description: str
    target: int
    weight: float
    critical: bool
    levels: tuple[LevelText, ...]


def prompts_for_role(framework: Framework, role_id: str) -> tuple[CompetencyPrompt, ...]:
    """The role's targeted competencies to rate, critical first, then by weight, then by name."""
    role = scored_role(framework, role_id)
    prompts = []
    for target in role.targets:
        competency = framework.competency(target.competency)
        prompts.append(
            CompetencyPrompt(
                id=competency.id,
                name=competency.name,
                description=competency.description,
                target=target.level,
                weight=target.weight,
                critical=target.critical,
                levels=tuple(
                    LevelText(lv.level, framework.level_name(lv.level), lv.summary, lv.indicators)
                    for lv in competency.levels
                ),
            )
        )
    prompts.sort(key=lambda p: (not p.critical, -p.weight, p.name))
    return tuple(prompts)


def level_label(framework: Framework, level: int | None) -> str:
    """How a rating is shown: 'Not observed', '0 · No evidence…', or '3 · Moderate Experience'."""
    if level is None:
        return NOT_OBSERVED
    if level == 0:
        return NO_EVIDENCE_LABEL
    return f"{level} · {framework.level_name(level)}"


def derived_level(framework: Framework, competency_id: str, ticked: dict[int, set[int]]) -> int:
    """The level the ticked indicators (level -> 1-based numbers) show, by the evidence rule."""
    competency = framework.competency(competency_id)
    return derive_level(competency, ticked, framework.evidence.min_share)


@dataclass(frozen=True, slots=True)
class RatingChoice:
    """What the rater has entered for one competency (not yet validated)."""

    competency_id: str
    method: str
    level: int | None
    ticked: dict[int, set[int]]  # level -> ticked indicator numbers (1-based)
    override: int | None
    reason: str
    evidence: str


def rating_input(framework: Framework, choice: RatingChoice) -> RatingInput | None:
    """The rating to store for `choice`, None when nothing was entered; InputError if invalid.

    A level derived from ticked indicators can be overridden, but only with a reason.
    """
    name = framework.competency(choice.competency_id).name
    evidence = clean_note(choice.evidence, field=f"{name}: evidence note")
    if choice.method == NOT_OBSERVED:
        return RatingInput(choice.competency_id, None, evidence=evidence)
    if choice.method == PICK:
        if choice.level is None:
            return None
        rating = rate(framework, choice.competency_id, level=choice.level)
        return RatingInput(choice.competency_id, rating.level, evidence=evidence)
    if choice.method != TICK:
        raise InputError(f"{name}: unknown way of rating {choice.method!r}")
    numbers = {level: ticked for level, ticked in choice.ticked.items() if ticked}
    reason = clean_note(choice.reason, field=f"{name}: reason for the override", limit=1000)
    try:
        rating = rate(
            framework, choice.competency_id, ticked=numbers, override=choice.override, reason=reason
        )
    except InputError as error:
        raise InputError(f"{name}: {error}") from error
    return RatingInput(
        choice.competency_id,
        rating.level,
        indicators={level: sorted(ticked) for level, ticked in numbers.items()},
        evidence=evidence,
        override_reason=rating.override_reason,
    )


def choice_from_record(competency_id: str, rating: RatingRecord | None) -> RatingChoice:
    """The form values that show a stored rating (or a blank form when there is none)."""
    if rating is None:
        return RatingChoice(competency_id, PICK, None, {}, None, "", "")
    ticked = {level: set(numbers) for level, numbers in rating.indicators.items() if numbers}
    if ticked:
        override = rating.level if rating.override_reason else None
        return RatingChoice(
            competency_id, TICK, None, ticked, override, rating.override_reason, rating.evidence
        )
    if rating.level is None:
        return RatingChoice(competency_id, NOT_OBSERVED, None, {}, None, "", rating.evidence)
    return RatingChoice(competency_id, PICK, rating.level, {}, None, "", rating.evidence)


def resume_index(prompts: Sequence[CompetencyPrompt], record: AssessmentRecord) -> int:
    """Where a resumed draft opens: the furthest competency rated, in the form's order.

    A rater works down the form, so that is the competency they edited last; the store keeps
    no time per rating to tell a later edit of an earlier competency apart.
    """
    rated = {r.competency_id for r in record.ratings}
    done = [i for i, prompt in enumerate(prompts) if prompt.id in rated]
    return done[-1] if done else 0


def _level_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class RatingForm:
    """The state of one assessment's rating form, kept in a session-state mapping.

    Keys start with `rate:<assessment id>:` so forms for different assessments never mix. The
    record the form was loaded from is kept too: its version is what a save must still match
    (optimistic locking), so two tabs cannot silently overwrite each other.
    """

    def __init__(
        self,
        state: MutableMapping[str, Any],
        framework: Framework,
        record: AssessmentRecord,
        prompts: Sequence[CompetencyPrompt],
    ) -> None:
        self.state = state
        self.framework = framework
        self.prompts = tuple(prompts)
        self.prefix = f"rate:{record.id}:"
        if self.prefix + "record" not in state:
            state[self.prefix + "record"] = record
            state[self.prefix + "index"] = resume_index(self.prompts, record)

    @property
    def record(self) -> AssessmentRecord:
        """The assessment as last read or saved by this form."""
        record: AssessmentRecord = self.state[self.prefix + "record"]
        return record

    @record.setter
    def record(self, value: AssessmentRecord) -> None:
        self.state[self.prefix + "record"] = value

    @property
    def index(self) -> int:
        """Which competency the form shows (0-based)."""
        return min(int(self.state.get(self.prefix + "index", 0)), len(self.prompts) - 1)

    @index.setter
    def index(self, value: int) -> None:
        self.state[self.prefix + "index"] = max(0, min(value, len(self.prompts) - 1))

    @property
    def current(self) -> CompetencyPrompt:
        """The competency shown now."""
        return self.prompts[self.index]

    def key(self, competency_id: str, part: str) -> str:
        """The session-state key of one widget of one competency."""
        return f"{self.prefix}{competency_id}:{part}"

    def tick_key(self, competency_id: str, level: int, index: int) -> str:
        """The key of one indicator's tick box (`index` is its 0-based position on the page)."""
        return self.key(competency_id, f"tick:{level}:{index}")

    def seed(self, prompt: CompetencyPrompt) -> None:
        """Fill the widget keys of `prompt` from the stored rating unless they are already set."""
        if self.key(prompt.id, "method") in self.state:
            return
        stored = {r.competency_id: r for r in self.record.ratings}.get(prompt.id)
        choice = choice_from_record(prompt.id, stored)
        self.state[self.key(prompt.id, "method")] = choice.method
        self.state[self.key(prompt.id, "level")] = choice.level
        self.state[self.key(prompt.id, "override")] = (
            KEEP_DERIVED if choice.override is None else choice.override
        )
        self.state[self.key(prompt.id, "reason")] = choice.reason
        self.state[self.key(prompt.id, "evidence")] = choice.evidence
        for level in prompt.levels:
            for i in range(len(level.indicators)):
                ticked = i + 1 in choice.ticked.get(level.level, set())
                self.state[self.tick_key(prompt.id, level.level, i)] = ticked

    def forget(self, prompt: CompetencyPrompt) -> None:
        """Drop the widget values of `prompt`, so the next seed reads the stored rating again."""
        for key in [k for k in self.state if k.startswith(f"{self.prefix}{prompt.id}:")]:
            del self.state[key]

    def choice(self, prompt: CompetencyPrompt) -> RatingChoice:
        """What the widgets of `prompt` hold now."""
        ticked: dict[int, set[int]] = {}
        for level in prompt.levels:
            # Tick boxes are keyed by 0-based position; the library counts indicators from 1.
            chosen = {
                i + 1
                for i in range(len(level.indicators))
                if self.state.get(self.tick_key(prompt.id, level.level, i))
            }
            if chosen:
                ticked[level.level] = chosen
        return RatingChoice(
            competency_id=prompt.id,
            method=str(self.state.get(self.key(prompt.id, "method"), PICK)),
            level=self.state.get(self.key(prompt.id, "level")),
            ticked=ticked,
            override=_level_or_none(self.state.get(self.key(prompt.id, "override"))),
            reason=str(self.state.get(self.key(prompt.id, "reason")) or ""),
            evidence=str(self.state.get(self.key(prompt.id, "evidence")) or ""),
        )

    def derived(self, prompt: CompetencyPrompt) -> int:
        """The level the ticked indicators of `prompt` give right now."""
        return derived_level(self.framework, prompt.id, self.choice(prompt).ticked)

    def answered(self) -> set[str]:
        """Competencies of this form that have a stored rating."""
        ids = {p.id for p in self.prompts}
        return {r.competency_id for r in self.record.ratings if r.competency_id in ids}

    def progress(self) -> tuple[int, int]:
        """(answered, total) competencies."""
        return len(self.answered()), len(self.prompts)

    def outside_form(self) -> list[RatingRecord]:
        """Stored ratings of competencies this form does not ask about (kept as they are)."""
        ids = {p.id for p in self.prompts}
        return [r for r in self.record.ratings if r.competency_id not in ids]

    def pending_inputs(self, prompts: Sequence[CompetencyPrompt]) -> list[RatingInput]:
        """Validated ratings of `prompts` from the widgets; InputError lists every problem."""
        inputs: list[RatingInput] = []
        problems: list[str] = []
        for prompt in prompts:
            if self.key(prompt.id, "method") not in self.state:
                continue  # never shown in this session: nothing entered
            try:
                given = rating_input(self.framework, self.choice(prompt))
            except InputError as error:
                problems.append(str(error))
                continue
            if given is not None:
                inputs.append(given)
        if problems:
            raise InputError("\n".join(problems))
        return inputs

    def save(self, store: Store, actor: Actor) -> AssessmentRecord:
        """Save what the current competency's widgets hold into the draft."""
        inputs = self.pending_inputs([self.current])
        self.record = services.save_draft(
            store, actor, self.record.id, inputs, expected_version=self.record.version
        )
        return self.record

    def submit(self, store: Store, actor: Actor) -> AssessmentRecord:
        """Save the current competency and submit the assessment (final)."""
        inputs = self.pending_inputs([self.current])
        self.record = services.submit_assessment(
            store, actor, self.record.id, expected_version=self.record.version, ratings=inputs
        )
        return self.record

    def reload(self, store: Store, actor: Actor) -> None:
        """Read the assessment again (after a conflict) and drop unsaved widget values."""
        self.record = services.get_assessment(store, actor, self.record.id)
        for prompt in self.prompts:
            self.forget(prompt)


def find_assessment(
    store: Store,
    actor: Actor,
    *,
    subject_id: int,
    rater_id: int | None,
    kind: str,
    role_id: str | None = None,
    requisition_id: int | None = None,
) -> tuple[AssessmentRecord | None, AssessmentRecord | None]:
    """(the newest draft, the newest submitted) assessment matching, each with its ratings."""
    found = services.list_assessments(
        store,
        actor,
        subject_id=subject_id,
        rater_id=rater_id,
        kind=kind,
        requisition_id=requisition_id,
        with_ratings=True,
    )
    if role_id is not None:
        found = [a for a in found if a.role_id == role_id]
    drafts = [a for a in found if a.status == "draft"]
    submitted = [a for a in found if a.status == "submitted"]
    return (drafts[-1] if drafts else None, submitted[-1] if submitted else None)


def start(
    store: Store,
    actor: Actor,
    framework: Framework,
    *,
    subject_id: int,
    rater_id: int | None,
    kind: str,
    role_id: str,
    requisition_id: int | None = None,
) -> AssessmentRecord:
    """Start a draft on the app's framework edition."""
    return services.start_assessment(
        store,
        actor,
        subject_id=subject_id,
        rater_id=rater_id,
        kind=kind,
        role_id=role_id,
        framework_hash=framework.content_hash,
        requisition_id=requisition_id,
    )


def edition_of(
    store: Store, actor: Actor, record: AssessmentRecord, current: Framework
) -> Framework:
    """The framework edition `record` was made with (the current one when it is the same)."""
    if record.framework_hash == current.content_hash:
        return current
    return services.get_framework(store, actor, record.framework_hash)


def scorable_roles(framework: Framework) -> list[str]:
    """Ids of the roles that have targets (so can be rated against), ordered by title."""
    return sorted(
        (r.id for r in framework.roles.values() if r.targets),
        key=lambda rid: (framework.roles[rid].title.casefold(), rid),
    )


def role_title(framework: Framework, role_id: str | None) -> str:
    """A role's title, or its id when the framework no longer has it."""
    if role_id is None:
        return "no role"
    role = framework.roles.get(role_id)
    return role.title if role else f"{role_id} (not in the current framework)"
