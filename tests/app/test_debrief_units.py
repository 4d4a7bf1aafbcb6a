"""The debrief view's pieces without Streamlit: texts, the decision choices, the focus filter."""

from __future__ import annotations

from pathlib import Path

from app_helpers import ROLES

from factories import write_framework
from skillmatrix.engine.debrief import candidate_debrief
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage.services.debriefs import Debrief, DebriefCandidate
from skillmatrix.webapp.assessing import prompts_for_role
from skillmatrix.webapp.debrief import (
    WITHHELD,
    alpha_text,
    decision_outcomes,
    fit_text,
    focus_prompts,
    table_rows,
    tally_text,
)


def _debrief(entries: tuple[DebriefCandidate, ...], hires: int = 0) -> Debrief:
    return Debrief(
        1, "AE", "account-executive", "open", 1, hires, True, None, None, "", (), entries
    )


def _entry(name: str, numbers: object, decision: str | None = None) -> DebriefCandidate:
    return DebriefCandidate(1, name, "debrief", numbers, (), None, decision)  # type: ignore[arg-type]


def test_texts_of_an_interval_an_undefined_alpha_and_a_withheld_candidate(tmp_path: Path) -> None:
    folder = write_framework(
        tmp_path / "fw", ["communication", "forecasting", "negotiation"], ROLES_SMALL
    )
    framework = load_framework(folder)
    # communication (weight 2) 3 meets; forecasting unrated; negotiation 2 of 3.
    numbers = candidate_debrief(
        framework,
        "account-executive",
        "Ann",
        {"a": {"communication": 3, "negotiation": 2}},
        ["yes"],
    )
    low, high = round((2 + 2 / 3) / 4 * 100), round((2 + 2 / 3 + 1) / 4 * 100)
    assert fit_text(numbers) == f"{low}%–{high}%"
    assert alpha_text(numbers) == "—"
    assert tally_text(numbers) == "strong-no 0 · no 0 · yes 1 · strong-yes 0 (score +1)"
    rows = table_rows(_debrief((_entry("Ann", numbers), _entry("Bob", None))))
    assert rows[1]["verdict"] == WITHHELD
    assert rows[1]["fit"] == "—"
    assert {type(v) for row in rows for v in row.values()} == {str}


def test_decision_choices_follow_finality_holds_and_openings() -> None:
    fresh, held, hired = _entry("A", None), _entry("B", None, "hold"), _entry("C", None, "hire")
    debrief = _debrief((fresh, held, hired))
    assert decision_outcomes(debrief, fresh) == ["hire", "reject", "hold"]
    assert decision_outcomes(debrief, held) == ["hire", "reject"]
    assert decision_outcomes(debrief, hired) == []
    assert decision_outcomes(_debrief((fresh,), hires=1), fresh) == ["reject", "hold"]


def test_focus_prompts_narrow_to_the_focus_or_keep_every_target(tmp_path: Path) -> None:
    folder = write_framework(
        tmp_path / "fw", ["communication", "forecasting", "negotiation"], ROLES_SMALL
    )
    prompts = prompts_for_role(load_framework(folder), "account-executive")
    assert [p.id for p in focus_prompts(prompts, ["negotiation"])] == ["negotiation"]
    assert focus_prompts(prompts, []) == prompts
    assert focus_prompts(prompts, ["coaching"]) == prompts


ROLES_SMALL = {"account-executive": ROLES["account-executive"] | {"next": []}}
