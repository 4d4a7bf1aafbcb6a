"""Self-assessment: rate yourself against a role, competency by competency; save, resume, submit."""

from __future__ import annotations

import streamlit as st

from skillmatrix.webapp.assessing import (
    RatingForm,
    edition_of,
    find_assessment,
    prompts_for_role,
    role_title,
    scorable_roles,
    start,
)
from skillmatrix.webapp.catalogue import version_text
from skillmatrix.webapp.context import page_context
from skillmatrix.webapp.guidance import Topic, hint
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.widgets import rating_form

ctx = page_context(st.session_state)
fw, store, actor, me = ctx.framework, ctx.store, ctx.user.actor, ctx.user.person
st.title("Self-assessment")
if me is None:
    st.info(hint(ctx.user, Topic.SELF_ASSESSMENT))
    st.stop()

roles = scorable_roles(fw)
own = roles.index(me.role_id) if me.role_id in roles else 0
role_id = st.selectbox(
    "Role to rate yourself against (your own by default)",
    roles,
    index=own,
    format_func=lambda r: role_title(fw, r),
    key="self_role",
)
draft, submitted = find_assessment(
    store, actor, subject_id=me.id, rater_id=me.id, kind="self", role_id=role_id
)
if submitted is not None and submitted.submitted_at is not None:
    st.caption(f"Last submitted {submitted.submitted_at:%Y-%m-%d %H:%M} UTC.")
if draft is None:
    if submitted is not None:
        st.success(
            "Your self-assessment for this role is submitted. See your gaps on Gap analysis."
        )
    if st.button("Start a new self-assessment", type="primary", key="self_start"):
        start(store, actor, fw, subject_id=me.id, rater_id=me.id, kind="self", role_id=role_id)
        st.rerun()
    st.stop()

edition = edition_of(store, actor, draft, fw)
if edition.content_hash != fw.content_hash:
    st.warning(
        "This draft was started on framework "
        f"{escape_markdown(version_text(edition))}; it is rated against that edition. "
        "Submit it, or start a new one on the current framework."
    )
st.caption(f"Draft started {draft.created_at:%Y-%m-%d %H:%M} UTC · resumes where you left off.")
form = RatingForm(st.session_state, edition, draft, prompts_for_role(edition, role_id))
rating_form(form, store, actor)
