"""Peer feedback: answer what you were asked, ask peers about yourself or a report, read the
aggregate (never one peer's answer); HR sees who answered."""

from __future__ import annotations

import streamlit as st

from skillmatrix.errors import SkillmatrixError
from skillmatrix.storage import services
from skillmatrix.storage.services.cycles import list_cycles
from skillmatrix.storage.services.peer_feedback import (
    decline_request,
    list_peer_requests,
    peer_aggregate,
    peer_choices,
    request_feedback,
)
from skillmatrix.storage.services.profiles import configured_rule
from skillmatrix.webapp.assessing import RatingForm, edition_of, role_title, scorable_roles
from skillmatrix.webapp.context import error_text, page_context
from skillmatrix.webapp.peers import (
    aggregate_rows,
    answered_rows,
    askable_subjects,
    competency_choices,
    prompts_for_request,
    request_label,
)
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.widgets import rating_form

ctx = page_context(st.session_state)
fw, store, actor, user, me = ctx.framework, ctx.store, ctx.user.actor, ctx.user, ctx.user.person
st.title("Peer feedback")
needed = configured_rule().peer_threshold
st.caption(
    f"Peers rate the competencies they were asked about. You, and your manager, see the median "
    f"per competency once at least {needed} peers have answered, never one peer's answer."
)
tab_names = ["Feedback requested of me", "Ask for feedback", "Feedback about"]
if user.is_hr:
    tab_names.append("Who answered (HR)")
tabs = st.tabs(tab_names)

with tabs[0]:
    asked = list_peer_requests(store, actor, peer_id=me.id, status="requested") if me else []
    if not asked:
        st.info("Nobody is waiting for your feedback.")
    else:
        by_id = {r.id: r for r in asked}
        chosen = st.selectbox(
            "Request", list(by_id), format_func=lambda i: request_label(by_id[i]), key="peer_pick"
        )
        request = by_id[chosen]
        st.markdown(f"You are rating **{escape_markdown(request.subject_name)}**.")
        draft = services.get_assessment(store, actor, request.assessment_id or 0)
        edition = edition_of(store, actor, draft, fw)
        prompts = prompts_for_request(edition, draft.role_id, request.competencies)
        if prompts:
            rating_form(RatingForm(st.session_state, edition, draft, prompts), store, actor)
        else:
            st.warning("None of the requested competencies can be rated on this page.")
        if st.button("Decline this request", key=f"peer_decline:{request.id}"):
            try:
                decline_request(store, actor, request.id)
                st.rerun()
            except SkillmatrixError as error:
                st.error(error_text(error))

subjects = askable_subjects(ctx)
with tabs[1]:
    if not subjects:
        st.info("Sign in as an employee to ask for feedback.")
    else:
        about = {p.id: p for p in subjects}
        subject_id = st.selectbox(
            "About", list(about), format_func=lambda i: about[i].name, key="peer_ask_subject"
        )
        subject = about[subject_id]
        roles = scorable_roles(fw)
        role_id = st.selectbox(
            "Role they are rated against",
            roles,
            index=roles.index(subject.role_id) if subject.role_id in roles else 0,
            format_func=lambda r: role_title(fw, r),
            key=f"peer_ask_role:{subject_id}",
        )
        directory = {c.id: c for c in peer_choices(store, actor, subject_id)}
        peers = st.multiselect(
            "Peers to ask (colleagues who see their work)",
            list(directory),
            format_func=lambda i: f"{directory[i].name} ({directory[i].team or 'no team'})",
            key=f"peer_ask_peers:{subject_id}",
        )
        choices = competency_choices(fw, role_id)
        competencies = st.multiselect(
            "Competencies to ask about",
            choices,
            default=choices,
            format_func=lambda c: fw.competencies[c].name,
            key=f"peer_ask_competencies:{subject_id}:{role_id}",
        )
        open_cycles = {
            c.id: c for c in list_cycles(store, actor, status="open") if "peer" in c.kinds
        }
        cycle_id = st.selectbox(
            "Review cycle",
            [None, *open_cycles],
            format_func=lambda i: "none" if i is None else open_cycles[i].name,
            key="peer_ask_cycle",
        )
        due = st.date_input("Answers due (optional)", value=None, key="peer_ask_due")
        if st.button("Ask for feedback", type="primary", key="peer_ask"):
            try:
                made = request_feedback(
                    store,
                    actor,
                    subject_id=subject_id,
                    peer_ids=peers,
                    competencies=competencies,
                    framework_hash=fw.content_hash,
                    role_id=role_id,
                    due_date=due if due else None,
                    cycle_id=cycle_id,
                )
                st.success(f"Asked {len(made)} peer(s).")
            except SkillmatrixError as error:
                st.error(error_text(error))

with tabs[2]:
    if not subjects:
        st.info("Sign in as an employee to see feedback about you.")
    else:
        about = {p.id: p for p in subjects}
        shown_id = st.selectbox(
            "Whose feedback", list(about), format_func=lambda i: about[i].name, key="peer_about"
        )
        aggregate = peer_aggregate(store, actor, shown_id)
        st.caption(f"{aggregate.answered} of {aggregate.requested} requests answered.")
        if aggregate.entries:
            st.dataframe(aggregate_rows(fw, aggregate), hide_index=True, width="stretch")
            st.caption(
                f"The median moves only when another {aggregate.threshold} peers have answered, so "
                "no single answer can be worked out by comparing before and after."
            )
        else:
            st.info("No peer feedback has been asked for yet.")

if user.is_hr:
    with tabs[3]:
        everyone = list_peer_requests(store, actor)
        if everyone:
            st.dataframe(answered_rows(everyone), hide_index=True, width="stretch")
        else:
            st.info("No peer feedback requests yet.")
