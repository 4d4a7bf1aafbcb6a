"""The interview kit on a page: one expander per competency, questions and what to listen for.

The Markdown is built here (and tested without Streamlit); every piece of framework text goes
through `escape_markdown`, because an uploaded framework is user text too.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from skillmatrix.framework.interview_kit import CompetencyKit, role_interview_kit
from skillmatrix.framework.model import Framework
from skillmatrix.webapp.assessing import prompts_for_role
from skillmatrix.webapp.safe_text import escape_markdown

FALLBACK_NOTE = "No interview kit for this competency yet: listen for the level indicators."


def kit_title(kit: CompetencyKit, framework: Framework) -> str:
    """The expander label: the competency and the level the role needs (escaped)."""
    if kit.target is None:
        aim = "no target level for this role"
    else:
        aim = f"target level {kit.target}, {framework.level_name(kit.target)}"
    return escape_markdown(f"{kit.name} · {aim}")


def kit_markdown(kit: CompetencyKit) -> str:
    """The body of one competency's kit as Markdown, every framework text escaped."""
    lines: list[str] = []
    if kit.questions:
        lines.append("**Questions**")
        lines.append("")
        for number, question in enumerate(kit.questions, start=1):
            lines.append(f"{number}. {escape_markdown(question.text)}")
            lines.extend(f"    - {escape_markdown(prompt)}" for prompt in question.follow_ups)
        lines.append("")
    for level in kit.levels:
        heading = "Looking for" if level.source == "kit" else "Indicators"
        lines.append(f"**{heading} at level {level.level}, {escape_markdown(level.name)}**")
        lines.append("")
        lines.extend(f"- {escape_markdown(point)}" for point in level.points)
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def show_kit(kits: Iterable[CompetencyKit], framework: Framework) -> None:
    """Draw each competency's kit in a collapsed expander."""
    for kit in kits:
        with st.expander(kit_title(kit, framework)):
            if not kit.has_kit:
                st.caption(FALLBACK_NOTE)
            st.markdown(kit_markdown(kit))


def show_role_kit(framework: Framework, role_id: str, focus: Iterable[str] | None = None) -> None:
    """The interview kit for a role's targets (or the `focus` ones) under its own heading."""
    st.subheader("Interview kit")
    if role_id not in framework.roles:
        st.caption(escape_markdown(f"The role {role_id!r} is not in this framework: no kit."))
        return
    # A focus list can outlive an edition of the framework: ids it no longer has are skipped.
    wanted = None if focus is None else [c for c in focus if c in framework.competencies]
    # In the scorecard form's order (critical first, then weight, then name), so that the kit
    # and the form below it read side by side.
    order = {p.id: i for i, p in enumerate(prompts_for_role(framework, role_id))}
    kits = sorted(
        role_interview_kit(framework, role_id, wanted),
        key=lambda kit: order.get(kit.competency_id, len(order)),
    )
    if not kits:
        st.caption("This role targets no competencies, so there is nothing to ask about.")
        return
    st.caption(
        "Ask about past behaviour; each competency lists what a good answer shows at the "
        "role's target level and at the level below."
    )
    show_kit(kits, framework)
