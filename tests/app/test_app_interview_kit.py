"""Interview scorecard: the interview kit for the role's targets, above the scorecard form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import COMPETENCIES, ROLES, open_app, texts

from conftest import AppEnv
from factories import competency_doc, write_framework
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from skillmatrix.storage.demo import load_demo
from skillmatrix.webapp.kits import FALLBACK_NOTE

HOSTILE = "Tell me about <b>bold</b> [a link](https://evil.example) *work*"
WITHOUT_KIT = "coaching"


def _kit(ident: str) -> dict:
    return {
        "questions": [
            {
                "question": f"Tell me about a time you used {ident}.",
                "follow_ups": [f"What did {ident} change?"],
            },
            {"question": HOSTILE if ident == "communication" else f"Describe {ident} at its best."},
        ],
        "looking_for": {
            str(level): [f"{ident} point {level}.1", f"{ident} point {level}.2"]
            for level in range(1, 6)
        },
    }


@pytest.fixture
def kit_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppEnv]:
    """The app's small framework, every competency but one with a kit, and the demo loaded."""
    docs = {c: competency_doc(c) for c in COMPETENCIES}
    for ident, doc in docs.items():
        if ident != WITHOUT_KIT:
            doc["interview"] = _kit(ident)
    # Targets listed in reverse, so that the role's own order differs from the form's order.
    roles = {
        ident: {**doc, "targets": dict(reversed(list(doc["targets"].items())))}
        for ident, doc in ROLES.items()
    }
    framework_dir = write_framework(tmp_path / "framework", docs, roles)
    monkeypatch.setenv("SKILLMATRIX_FRAMEWORK", str(framework_dir))
    monkeypatch.setenv("SKILLMATRIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKILLMATRIX_DATABASE_URL", raising=False)
    store = open_store()
    try:
        env = AppEnv(tmp_path, framework_dir, load_framework(framework_dir), store)
        load_demo(store, LOCAL_ADMIN, framework_dir, employees=12, requisitions=1)
        yield env
    finally:
        store.close()


def _open_scorecard(env: AppEnv):
    (requisition,) = services.list_requisitions(env.store, LOCAL_ADMIN)
    candidate = services.add_person(
        env.store, LOCAL_ADMIN, name="Kit Candidate", email="kit@example.org", kind="candidate"
    )
    services.add_candidate(env.store, LOCAL_ADMIN, requisition.id, candidate.id)
    at = open_app("interview_scorecard", person=requisition.panel[0])
    at.selectbox(key="iv_requisition").set_value(requisition.id).run()
    at.selectbox(key=f"iv_cand:{requisition.id}").set_value(candidate.id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at, env.framework.role(requisition.role_id)


def _expander_text(expander) -> str:
    return "\n".join(
        str(e.value) for kind in ("markdown", "caption") for e in getattr(expander, kind)
    )


def test_the_kit_shows_each_target_with_questions_and_looking_for(kit_env: AppEnv) -> None:
    at, role = _open_scorecard(kit_env)
    assert "Interview kit" in texts(at)
    fw = kit_env.framework
    labels = [e.label for e in at.expander]
    for target in role.targets:
        name = fw.competency(target.competency).name
        label = f"{name} · target level {target.level}, {fw.level_name(target.level)}"
        (expander,) = [e for e in at.expander if e.label.replace("\\", "") == label]
        shown = _expander_text(expander).replace("\\", "")
        below = target.level - 1
        if target.competency == WITHOUT_KIT:
            assert FALLBACK_NOTE in shown
            assert f"Indicators at level {target.level}" in shown
            for indicator in fw.competency(WITHOUT_KIT).level(target.level).indicators:
                assert indicator in shown
            assert "Questions" not in shown
            continue
        assert f"Tell me about a time you used {target.competency}." in shown
        assert f"What did {target.competency} change?" in shown
        assert f"Looking for at level {target.level}" in shown
        assert f"{target.competency} point {target.level}.1" in shown
        if below >= 1:
            assert f"{target.competency} point {below}.2" in shown
        # Only the target level and the one below: never two levels below.
        if below >= 2:
            assert f"{target.competency} point {below - 1}.1" not in shown
    # The kit comes before the scorecard.
    headers = [s.value for s in at.subheader]
    assert headers.index("Interview kit") < headers.index("Your scorecard")
    assert len(labels) == len(role.targets)
    # In the scorecard form's order: critical first, then by weight, then by name.
    ordered = sorted(
        role.targets,
        key=lambda t: (not t.critical, -t.weight, fw.competency(t.competency).name),
    )
    assert ordered != list(role.targets)  # else this would not test the order
    assert [label.replace("\\", "").split(" · ")[0] for label in labels] == [
        fw.competency(t.competency).name for t in ordered
    ]


def test_the_kit_escapes_framework_text(kit_env: AppEnv) -> None:
    at, role = _open_scorecard(kit_env)
    if role.target("communication") is None:
        pytest.skip("the demo requisition's role does not target communication")
    raw = "\n".join(str(m.value) for e in at.expander for m in e.markdown)
    assert "<b>" not in raw
    assert "](https" not in raw
    assert r"\<b\>bold\</b\>" in raw


def test_without_any_kit_the_page_falls_back_to_indicators(demo_env: AppEnv) -> None:
    at, role = _open_scorecard(demo_env)
    assert len(at.expander) == len(role.targets)
    for expander in at.expander:
        shown = _expander_text(expander)
        assert FALLBACK_NOTE in shown
        assert "Looking for" not in shown
