"""skillmatrix Streamlit app: the pages, the store and framework, and who the user is."""

from __future__ import annotations

import logging
import os

import streamlit as st

from skillmatrix.config import framework_dir
from skillmatrix.errors import PermissionDeniedError, SkillmatrixError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import Store, open_store, resolve_url
from skillmatrix.webapp import auth, profiling, warmup
from skillmatrix.webapp import context as app
from skillmatrix.webapp.catalogue import version_text
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.todo import badge as todo_badge

# A developer's profile of this run, when $SKILLMATRIX_PROFILE_DIR asks for it (performance.md).
run_profile = profiling.start()
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


@st.cache_resource(show_spinner=False)
def warm_up_once() -> None:
    """Import the chart libraries in the background, once per server process."""
    warmup.start_warmup()


@st.cache_resource(show_spinner=False)
def log_once(note: str) -> None:
    """Log a sign-in configuration note once per server process, not on every rerun."""
    log.warning("sign-in configuration: %s", note)


def log_out_button() -> None:
    """The sidebar's Log out button (shared mode)."""
    st.sidebar.button("Log out", key="log_out", on_click=st.logout)


def require_sign_in(decision: auth.ModeDecision) -> auth.SignedIn:
    """Shared mode: the login screen, or the "not authorised" page, or the signed-in user."""
    if decision.problems:
        st.title("skillmatrix: sign-in is misconfigured")
        st.error(escape_markdown("\n".join(decision.problems)))
        st.caption("An administrator fixes .streamlit/secrets.toml; see docs/deployment.md.")
        st.stop()
    claims = auth.signed_in_claims(st.user.to_dict())
    if claims is None:
        st.title("skillmatrix")
        st.write("Sign in with your organisation account to see your competencies and reviews.")
        for provider in decision.providers:
            label = "Log in" if provider is None else f"Log in with {escape_markdown(provider)}"
            if st.button(label, type="primary", key=f"log_in_{provider or 'default'}"):
                st.login(provider)
        st.stop()
    try:
        return auth.sign_in(store_at(resolve_url()), claims, decision.groups_claim)
    except PermissionDeniedError as refused:
        st.title(auth.NO_ACCESS_TITLE)
        st.warning(escape_markdown(str(refused)))
        log_out_button()
        st.stop()
    except SkillmatrixError as error:
        st.error(app.error_text(error))
        log_out_button()
        st.stop()
    raise AssertionError("unreachable: st.stop() ends the run")  # pragma: no cover


def act_as_picker(store: Store, framework: Framework, path: str) -> app.AppContext:
    """Local mode: the "Act as" picker, and the demo offer on an empty store."""
    st.sidebar.markdown("**LOCAL MODE**")
    st.sidebar.caption(app.LOCAL_MODE_LABEL)
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
    return app.build_context(
        store, framework, people, person_id=app.person_id_of(person_id), hr=as_hr
    )


st.session_state.pop(app.CONTEXT_KEY, None)
decision = auth.decide_mode(
    auth.read_secrets(st.secrets, st.get_option("secrets.files")), os.environ
)
for note in decision.notes:
    log_once(note)
refusal = None if decision.is_shared else auth.local_mode_refusal(st.get_option("server.address"))
if refusal is not None:
    # Without sign-in, a network address would let anyone who reaches it act as anyone.
    log_once(refusal)
    st.title(auth.LOCAL_MODE_REFUSED_TITLE)
    st.error(escape_markdown(refusal))
    st.stop()
# Shared mode decides who the user is before any page exists: a signed-out or unknown user
# gets no navigation at all, and nobody can pick another identity.
signed_in = require_sign_in(decision) if decision.is_shared else None
if signed_in is not None:
    st.sidebar.markdown(f"**Signed in** as {escape_markdown(signed_in.label)}")
    st.sidebar.caption(auth.SHARED_MODE_LABEL)
    log_out_button()

# Page files live in `app_pages/`, not `pages/`: Streamlit treats a `pages/` folder next to the
# main script as its legacy multipage app and would run a page file alone, without this script.
PAGES = {
    "Employee": [
        ("self_assessment", "Self-assessment", "rate_review"),
        ("gap_analysis", "Gap analysis", "insights"),
        ("career_paths", "Career paths", "route"),
        ("todo", "To do", "checklist"),
        ("peer_feedback", "Peer feedback", "diversity_3"),
    ],
    "Manager": [
        ("manager_review", "Manager review", "compare"),
        ("team_matrix", "Team matrix", "grid_on"),
        ("review_cycles", "Review cycles", "event_repeat"),
        ("calibration", "Calibration", "balance"),
        ("skills_inventory", "Skills inventory", "person_search"),
        ("succession", "Succession", "account_tree"),
    ],
    "Hiring": [
        ("requisitions", "Requisitions", "work"),
        ("my_interviews", "My interviews", "event_available"),
        ("interview_scorecard", "Interview scorecard", "how_to_reg"),
        ("debrief", "Debrief", "groups"),
    ],
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

try:
    url, path = resolve_url(), str(framework_dir())
    store = store_at(url)
    framework = framework_at(url, path, app.framework_fingerprint(path))
    if signed_in is None:
        context = act_as_picker(store, framework, path)
    else:
        context = auth.signed_in_context(store, framework, signed_in)
    st.session_state[app.CONTEXT_KEY] = context
    # Every page says whose data it shows and whose name a save goes under.
    st.sidebar.markdown(f"Acting as **{escape_markdown(app.acting_as(context.user))}**")
    st.sidebar.caption(f"Roles: {escape_markdown(auth.roles_text(context.user.roles))}")
    if unread := todo_badge(store, context.user.actor):
        st.sidebar.caption(unread)  # the To do page's count, on every page
    # A shared deployment's users need not know where the server keeps its data.
    where = f" · store {store.url}" if signed_in is None else ""
    st.sidebar.caption(
        escape_markdown(f"Framework {framework.name} · {version_text(framework)}{where}")
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
finally:
    profiling.finish(run_profile, navigation.title)
    # After the first page has run (st.stop() included), so it does not slow that page down.
    warm_up_once()
