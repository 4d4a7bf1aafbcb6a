"""The rating form the self-assessment, manager review and interview pages share (Streamlit).

The only module of the webapp package that draws widgets: three pages need the same form, and
one copy keeps them consistent. Every decision it shows (derived level, validation, saving) is a
call into `skillmatrix.webapp.assessing`.

The form is a fragment (`st.fragment`): ticking an indicator, picking a level, saving or moving
to another competency reruns only the form, not the page around it (the page's queries, charts
and the sidebar). Submitting reruns the whole page, which then shows the assessment as final.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import streamlit as st

from skillmatrix.errors import ConflictError, SkillmatrixError
from skillmatrix.storage import Store
from skillmatrix.storage.access import Actor
from skillmatrix.webapp.assessing import (
    KEEP_DERIVED,
    METHODS,
    NOT_OBSERVED,
    PICK,
    TICK,
    CompetencyPrompt,
    RatingForm,
    level_label,
)
from skillmatrix.webapp.profiling import profiled
from skillmatrix.webapp.safe_text import MAX_NOTE_CHARS, escape_markdown

LEVEL_CHOICES = (0, 1, 2, 3, 4, 5)
OVERRIDE_CHOICES = (KEEP_DERIVED, 0, 1, 2, 3, 4, 5)


def _flash_key(form: RatingForm) -> str:
    return form.prefix + "flash"


def _whole_page_key(form: RatingForm) -> str:
    return form.prefix + "rerun_page"


def _run(form: RatingForm, action: str, store: Store, actor: Actor, move: int | None) -> None:
    """Callback of the form's buttons: save (or submit), then move; errors become a message."""
    state: MutableMapping[str, Any] = form.state
    try:
        if action == "submit":
            form.submit(store, actor)
            state[_flash_key(form)] = ("success", "Submitted. Thank you: it is now final.")
            # The page around the form shows the assessment as final: rerun all of it.
            state[_whole_page_key(form)] = True
        else:
            form.save(store, actor)
            if action == "save":
                state[_flash_key(form)] = ("success", "Draft saved.")
    except ConflictError as error:
        state[_flash_key(form)] = ("conflict", str(error))
        return
    except SkillmatrixError as error:
        state[_flash_key(form)] = ("error", str(error))
        return
    if move is not None:
        form.index = move
        state[form.prefix + "jump"] = form.index


def _jump(form: RatingForm, store: Store, actor: Actor) -> None:
    """Callback of the competency picker: save the one being left, then show the chosen one."""
    chosen = form.state.get(form.prefix + "jump")
    form.state[form.prefix + "jump"] = form.index  # stays put if the save fails
    if isinstance(chosen, int):
        _run(form, "next", store, actor, chosen)


def _anchors(prompt: CompetencyPrompt) -> None:
    with st.expander("Behavioural anchors: every level's summary and indicators"):
        for level in prompt.levels:
            st.markdown(f"**{level.level} · {escape_markdown(level.name)}**")
            st.text(level.summary)
            st.text("\n".join(f"• {i}" for i in level.indicators))


def _pick(form: RatingForm, prompt: CompetencyPrompt) -> None:
    summaries = {lv.level: lv.summary for lv in prompt.levels}

    def label(level: int) -> str:
        text = level_label(form.framework, level)
        if level in summaries:
            text += f" — {summaries[level]}"
        return escape_markdown(text)

    st.radio("Level", LEVEL_CHOICES, format_func=label, key=form.key(prompt.id, "level"))
    _anchors(prompt)


def _tick(form: RatingForm, prompt: CompetencyPrompt) -> None:
    for level in prompt.levels:
        st.markdown(
            f"**{level.level} · {escape_markdown(level.name)}** — {escape_markdown(level.summary)}"
        )
        for i, indicator in enumerate(level.indicators):
            st.checkbox(escape_markdown(indicator), key=form.tick_key(prompt.id, level.level, i))
    derived = form.derived(prompt)
    st.info(
        "Derived level from the ticked indicators: "
        + escape_markdown(level_label(form.framework, derived))
    )
    override_key = form.key(prompt.id, "override")
    st.selectbox(
        "Override the derived level (optional)",
        OVERRIDE_CHOICES,
        format_func=lambda v: (
            "Keep the derived level" if v == KEEP_DERIVED else level_label(form.framework, v)
        ),
        key=override_key,
    )
    override = form.state.get(override_key)
    if override not in (KEEP_DERIVED, derived):
        st.text_input(
            "Reason for the override (required, stored)", key=form.key(prompt.id, "reason")
        )


def rating_form(form: RatingForm, store: Store, actor: Actor) -> None:
    """Draw the form for the current competency, with progress and navigation.

    A fragment: its own widgets rerun only the form (see the module docstring).
    """
    _rating_fragment(form, store, actor)


@st.fragment
def _rating_fragment(form: RatingForm, store: Store, actor: Actor) -> None:
    if form.state.pop(_whole_page_key(form), False):
        st.rerun(scope="app")
    with profiled("rating-form"):
        _draw_form(form, store, actor)


def _draw_form(form: RatingForm, store: Store, actor: Actor) -> None:
    flash = form.state.pop(_flash_key(form), None)
    answered, total = form.progress()
    st.progress(answered / total if total else 0.0, text=f"{answered} of {total} rated")
    done = form.answered()
    jump_key = form.prefix + "jump"
    form.state.setdefault(jump_key, form.index)
    # Labels stay fixed while rating: the picker keeps its choice by label.
    st.selectbox(
        "Competency",
        range(len(form.prompts)),
        format_func=lambda i: f"{i + 1}. {form.prompts[i].name}",
        key=jump_key,
        on_change=_jump,
        args=(form, store, actor),
    )
    st.caption(
        "Rated: "
        + escape_markdown(", ".join(p.name for p in form.prompts if p.id in done) or "none yet")
    )
    prompt = form.current
    form.seed(prompt)
    st.subheader(escape_markdown(prompt.name))
    target = f"Target for this role: {level_label(form.framework, prompt.target)}"
    st.caption(
        escape_markdown(f"{target} · weight {prompt.weight:g}")
        + (" · **critical**" if prompt.critical else "")
    )
    st.text(prompt.description)
    method = st.radio(
        "How do you rate it?", METHODS, key=form.key(prompt.id, "method"), horizontal=True
    )
    if method == PICK:
        _pick(form, prompt)
    elif method == TICK:
        _tick(form, prompt)
    elif method == NOT_OBSERVED:
        st.caption("Not observed: there was no chance to see it. It is never the same as 0.")
    st.text_area(
        "Evidence note (optional): what was seen, when",
        key=form.key(prompt.id, "evidence"),
        max_chars=MAX_NOTE_CHARS,
    )
    if flash:
        kind, message = flash
        (st.success if kind == "success" else st.error)(escape_markdown(message))
        if kind == "conflict":
            # Someone saved this assessment meanwhile: start again from what is stored.
            st.button(
                "Reload the saved version",
                on_click=form.reload,
                args=(store, actor),
                key=form.prefix + "reload",
            )
    previous, save, following = st.columns(3)
    previous.button(
        "◀ Previous",
        disabled=form.index == 0,
        on_click=_run,
        args=(form, "previous", store, actor, form.index - 1),
        key=form.prefix + "previous",
    )
    save.button(
        "Save draft",
        on_click=_run,
        args=(form, "save", store, actor, None),
        key=form.prefix + "save",
    )
    following.button(
        "Next ▶",
        disabled=form.index >= len(form.prompts) - 1,
        on_click=_run,
        args=(form, "next", store, actor, form.index + 1),
        key=form.prefix + "next",
    )
    missing = total - answered
    if missing:
        st.caption(f"{missing} competencies not rated yet; if you submit now they stay unrated.")
    confirm = st.checkbox("I have finished: submitting makes it final", key=form.prefix + "confirm")
    st.button(
        "Submit",
        type="primary",
        disabled=not confirm,
        on_click=_run,
        args=(form, "submit", store, actor, None),
        key=form.prefix + "submit",
    )
    outside = form.outside_form()
    if outside:
        names = ", ".join(
            form.framework.competencies[r.competency_id].name
            if r.competency_id in form.framework.competencies
            else r.competency_id
            for r in outside
        )
        st.warning(
            f"{len(outside)} stored rating(s) are for competencies this form does not ask about "
            f"(no longer in the role or the framework): {escape_markdown(names)}. "
            "They are kept as stored."
        )
