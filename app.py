"""skillmatrix Streamlit app: the pages, the store and framework, and who you act as."""

from __future__ import annotations

import logging

import streamlit as st

from skillmatrix.config import framework_dir
from skillmatrix.errors import SkillmatrixError
from skillmatrix.model import Framework
from skillmatrix.storage import Store, open_store, resolve_url
from skillmatrix.webapp import context as app

st.set_page_config(page_title="skillmatrix", page_icon=":bar_chart:", layout="wide")
log = logging.getLogger("skillmatrix.app")


@st.cache_resource(show_spinner=False)
def store_at(url: str) -> Store:
    """The store, opened once per server process (and per URL, so tests stay apart)."""
    return open_store(url)


@st.cache_resource(show_spinner=False, max_entries=8)
def framework_at(url: str, path: str, fingerprint: object) -> Framework:
    """The framework, validated and snapshotted once per edition of its files."""
    del fingerprint  # only part of the cache key: a changed file loads the new edition
    return app.load_app_framework(store_at(url), path)


# Page files live in `app_pages/`, not `pages/`: Streamlit treats a `pages/` folder next to the
# main script as its legacy multipage app and would run a page file alone, without this script.
PAGES = {
    "Employee": [
        ("self_assessment", "Self-assessment", "rate_review"),
        ("gap_analysis", "Gap analysis", "insights"),
        ("career_paths", "Career paths", "route"),
    ],
    "Manager": [
        ("manager_review", "Manager review", "compare"),
        ("team_matrix", "Team matrix", "grid_on"),
    ],
    "Hiring": [("interview_scorecard", "Interview scorecard", "how_to_reg")],
    "Framework": [
        ("framework_browser", "Framework browser", "menu_book"),
        ("framework_check", "Framework check", "fact_check"),
    ],
}
navigation = st.navigation(
    {
        section: [
            st.Page(
                f"app_pages/{name}.py",
                title=title,
                icon=f":material/{icon}:",
                url_path=name.replace("_", "-"),
            )
            for name, title, icon in pages
        ]
        for section, pages in PAGES.items()
    }
)

st.sidebar.markdown("**LOCAL MODE**")
st.sidebar.caption(app.LOCAL_MODE_LABEL)
st.session_state.pop(app.CONTEXT_KEY, None)
try:
    url, path = resolve_url(), str(framework_dir())
    store = store_at(url)
    framework = framework_at(url, path, app.framework_fingerprint(path))
    if app.store_is_empty(store):
        st.info("The store is empty. Load a fictional demo organisation to try every page.")
        if st.button("Load the demo organisation", type="primary", key="load_demo"):
            with st.spinner("Creating the demo organisation…"):
                app.load_demo_organisation(store, path)
            st.rerun()
    people = app.list_everyone(store)
    app.settle_identity(st.session_state, "act_as", people)
    person_id = st.sidebar.selectbox(
        "Act as",
        app.identity_options(people),
        format_func=lambda o: app.identity_label(people, o),
        key="act_as",
    )
    as_hr = st.sidebar.checkbox("With HR rights", key="as_hr")
    context = app.build_context(
        store, framework, people, person_id=app.person_id_of(person_id), hr=as_hr
    )
    st.session_state[app.CONTEXT_KEY] = context
    st.sidebar.caption(f"Roles: {', '.join(sorted(context.user.roles)) or 'none'}")
    st.sidebar.caption(
        f"Framework {framework.name} · version {framework.version} · store {store.url}"
    )
except SkillmatrixError as error:
    # The Framework check page still works without a store or a valid framework.
    st.error(app.error_text(error))

try:
    navigation.run()
except SkillmatrixError as error:
    st.error(app.error_text(error))
except Exception:
    log.exception("unexpected error on page %s", navigation.title)
    st.error(
        "Something went wrong inside skillmatrix; nothing was saved by the failed step. "
        "The details are in the server log."
    )
