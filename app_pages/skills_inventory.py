"""Skills inventory: who holds these competencies at these levels, with whose level and when."""

from __future__ import annotations

import streamlit as st

from skillmatrix.errors import SkillmatrixError
from skillmatrix.storage.services.inventory import search_inventory
from skillmatrix.webapp.assessing import role_title
from skillmatrix.webapp.catalogue import competency_choices
from skillmatrix.webapp.context import error_text, page_context, people_in_scope
from skillmatrix.webapp.gaps import evidence_note
from skillmatrix.webapp.inventory import (
    MAX_FORM_CRITERIA,
    CriterionInput,
    criteria_from_form,
    default_competency,
    family_choices,
    inventory_csv,
    inventory_xlsx,
    may_search,
    result_table,
    summary,
)
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.teams import team_names

ctx = page_context(st.session_state)
fw, store, actor = ctx.framework, ctx.store, ctx.user.actor
st.title("Skills inventory")
st.caption(
    "Who holds every competency below at the level given or more. A manager searches the "
    "people below them, HR everyone."
)
if not may_search(actor):
    st.info("The skills inventory is for managers (their people) and HR (everyone).")
    st.stop()
choices = competency_choices(fw)
first = default_competency(fw, [p.role_id for p in people_in_scope(ctx) if p.role_id])
count = int(
    st.number_input("Criteria", 1, MAX_FORM_CRITERIA, 1, key="inv_count", help="All must hold.")
)
rows = []
for n in range(count):
    left, right = st.columns([3, 1])
    competency = left.selectbox(
        f"Competency {n + 1}",
        choices,
        index=choices.index(first) if n == 0 and first in choices else None,
        placeholder="Choose a competency",
        format_func=lambda c: fw.competency(c).name,
        key=f"inv_comp:{n}",
    )
    level = right.number_input(
        "At least level", 0, 5, 3, key=f"inv_level:{n}", help="0 to 5; higher also matches."
    )
    rows.append(CriterionInput(competency, int(level)))

teams_col, roles_col, family_col = st.columns(3)
teams = teams_col.multiselect("Teams (none = all)", team_names(ctx.employees), key="inv_teams")
role_ids = roles_col.multiselect(
    "Roles (none = all)",
    sorted(fw.roles, key=lambda r: role_title(fw, r)),
    format_func=lambda r: role_title(fw, r),
    key="inv_roles",
)
families = family_col.multiselect("Role families (none = all)", family_choices(fw), key="inv_fams")

criteria = criteria_from_form(rows)
if not criteria:
    st.info("Choose at least one competency to search for.")
    st.stop()
try:
    result = search_inventory(
        store,
        actor,
        fw,
        criteria,
        teams=teams or None,
        role_ids=role_ids or None,
        families=families or None,
    )
except SkillmatrixError as error:
    st.error(error_text(error))
    st.stop()

st.subheader(escape_markdown(summary(result, fw)))
st.caption(evidence_note(result.rule))
if result.matches:
    st.dataframe(result_table(result, fw), hide_index=True, width="stretch")
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(
        "Download CSV",
        inventory_csv(result, fw),
        "skills-inventory.csv",
        "text/csv",
        key="inv_csv",
        on_click="ignore",
    )
    xlsx_col.download_button(
        "Download XLSX",
        inventory_xlsx(result, fw),
        "skills-inventory.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="inv_xlsx",
        on_click="ignore",
    )
else:
    st.info("Nobody in your scope holds all of these yet. Try a lower level or fewer criteria.")
