"""Succession: who is ready for a role — the bench, ranked by fit, with readiness and factors."""

from __future__ import annotations

import streamlit as st

from skillmatrix.storage.services.succession import role_bench
from skillmatrix.webapp.assessing import role_title, scorable_roles
from skillmatrix.webapp.context import page_context, people_in_scope
from skillmatrix.webapp.gaps import evidence_note
from skillmatrix.webapp.inventory import may_search
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.succession import (
    bench_chart,
    bench_rows,
    default_role,
    entry_labels,
    factor_rows,
    readiness_summary,
)
from skillmatrix.webapp.teams import team_names

ctx = page_context(st.session_state)
fw, store, actor = ctx.framework, ctx.store, ctx.user.actor
st.title("Succession")
if not may_search(actor, "succession.bench"):
    st.info("The bench is for managers (their people) and HR (everyone).")
    st.stop()

left, right = st.columns(2)
roles = scorable_roles(fw)
start = default_role(fw, roles, [p.role_id for p in people_in_scope(ctx) if p.role_id])
role_id = left.selectbox(
    "Role",
    roles,
    index=roles.index(start),
    format_func=lambda r: role_title(fw, r),
    key="succ_role",
)
teams = right.multiselect("Teams (none = all)", team_names(ctx.employees), key="succ_teams")
bench = role_bench(store, actor, fw, role_id, teams=teams or None)
st.subheader(escape_markdown(readiness_summary(bench)))
if not bench.entries:
    st.info("Nobody in your scope to score.")
    st.stop()
st.caption(
    "Ranked by fit today (lower bound: a target not observed counts as 0); the bar runs to the "
    "fit the person would have if every unobserved target were met. " + evidence_note(bench.rule)
)
st.altair_chart(bench_chart(bench), width="stretch")
with st.expander("The bench as a table (every person, the chart's numbers)", expanded=True):
    st.dataframe(bench_rows(bench), hide_index=True, width="stretch")

st.subheader("Why: the score taken apart")
labels = entry_labels(bench.entries)
chosen = st.selectbox(
    "Person", list(labels), format_func=labels.__getitem__, key=f"succ_person:{role_id}"
)
entry = next(e for e in bench.entries if e.person.id == chosen)
st.caption(
    escape_markdown(
        f"{entry.person.name}: fit {entry.low:.0%} of {bench.title}; each row says what the "
        "competency adds to the fit and what it still misses."
    )
)
st.dataframe(factor_rows(entry, fw, role_id), hide_index=True, width="stretch")
