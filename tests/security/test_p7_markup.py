"""Part 7, item 4: user text is never Markup, on any page, for any kind of user.

The store and the framework carry hostile Markdown and HTML in every field a person can type
(tests/hostile_world.py). Every page is opened as an employee, a manager, an interviewer, a
hiring manager and HR (and every person in their pickers is chosen in turn); the Framework
check page also gets a hostile upload. Every string of every element in the AppTest tree is
then read as Streamlit would render it: outside the few fields Streamlit shows as plain text,
no link, image, HTML, autolink, bare URL, email, colour directive or LaTeX may be live, that is
anywhere but behind a backslash escape. The sweep also checks that each hostile field is
actually shown (as text), so it cannot pass by showing nothing.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from google.protobuf.message import Message
from streamlit import config
from streamlit.testing.v1 import AppTest

from hostile_world import (
    LINK,
    SHORT_PAYLOAD,
    TAGS,
    build_hostile_store,
    hostile,
    write_hostile_framework,
)
from skillmatrix.storage import open_store
from skillmatrix.webapp.safe_text import WORD_JOINER

pytestmark = pytest.mark.slow

APP = Path(__file__).resolve().parents[2] / "app.py"
TITLES = {
    "self_assessment": "Self-assessment",
    "gap_analysis": "Gap analysis",
    "career_paths": "Career paths",
    "manager_review": "Manager review",
    "team_matrix": "Team matrix",
    "interview_scorecard": "Interview scorecard",
    "debrief": "Debrief",
    "requisitions": "Requisitions",
    "my_interviews": "My interviews",
    "framework_browser": hostile(TAGS["framework"]),
    "framework_check": "Framework check",
    "review_cycles": "Review cycles",
    "peer_feedback": "Peer feedback",
    "skills_inventory": "Skills inventory",
    "succession": "Succession",
}
"""Every page of the app and its title."""
USERS = {
    "employee": ("emp1", False),
    "manager": ("mgr", False),
    "interviewer": ("int1", False),
    "hiring manager": ("hm", False),
    "HR (person with HR rights)": ("hrp", True),
    "HR administrator": (None, False),
}
PICKERS = ("mr_report", "gap_person", "path_person", "iv_cand")
"""Person pickers: every choice in them is shown in turn (for users who are not HR)."""

ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
"""A CommonMark backslash escape: the punctuation after it is shown as itself."""
LIVE_MARKUP = {
    "a link or an image": re.compile(r"\]\("),
    "an image": re.compile(r"!\["),
    "HTML or an autolink": re.compile(r"<[A-Za-z/!?]"),
    "a colour, badge or icon directive": re.compile(r":[A-Za-z][\w-]*\["),
    "LaTeX": re.compile(r"\$"),
}
"""Markdown syntax that must not be live (unescaped) in any string Streamlit renders."""
LINKED_LITERALS = {
    "a linked bare URL": re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE | re.ASCII),
    "a linked email address": re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII),
}
"""GFM's literal autolinks, as Streamlit's renderer finds them: in the text *after* escapes
are resolved (mdast-util-gfm-autolink-literal), so a backslash does not stop them."""
PLAIN_FIELDS = {
    ("Text", "body"),
    ("Code", "code_text"),
    ("Selectbox", "options"),
    ("Selectbox", "raw_value"),
    ("Selectbox", "raw_default"),
    ("MultiSelect", "options"),
    ("MultiSelect", "raw_values"),
    ("MultiSelect", "raw_default"),
    ("TextArea", "value"),
    ("TextArea", "default"),
    ("TextInput", "value"),
    ("TextInput", "default"),
}
"""(proto message, field) pairs Streamlit shows as plain text; every other string is Markdown."""
NOT_SHOWN = {"id", "form_id", "url", "deprecated_label", "file_uploader_id"}
"""Fields that are never shown to the user (element ids, media URLs)."""


def live_markup(markdown: str) -> list[str]:
    """The kinds of live markup in `markdown` (escaped punctuation does not count)."""
    masked = ESCAPED.sub("\0", markdown)
    shown = ESCAPED.sub(lambda m: m.group(0)[1], markdown)
    return [kind for kind, pattern in LIVE_MARKUP.items() if pattern.search(masked)] + [
        kind for kind, pattern in LINKED_LITERALS.items() if pattern.search(shown)
    ]


def as_shown(markdown: str) -> str:
    """`markdown` as the reader sees it: escapes resolved, invisible word joiners gone."""
    return ESCAPED.sub(lambda m: m.group(0)[1], markdown).replace(WORD_JOINER, "")


def _strings(message: Message, path: str) -> Iterator[tuple[str, str, str]]:
    """(message name, field path, string) for every string in a proto message, recursively."""
    for field, value in message.ListFields():
        values = (
            list(value) if hasattr(value, "__len__") and not isinstance(value, str) else [value]
        )
        if isinstance(value, bytes):
            continue
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, f"{path}.{field.name}")
            elif isinstance(item, str):
                yield message.DESCRIPTOR.name, f"{path}.{field.name}", item


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def inspect_page(at: AppTest, where: str, problems: dict[str, list[str]], shown: list[str]) -> None:
    """Add every live markup on the page to `problems` (by what shows it, the pages where it
    is) and what the page shows to `shown`."""
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if type(node).__name__ == "Dataframe":
            shown.append(node.value.to_csv())
        if not isinstance(proto, Message):
            continue
        for message, field, text in _strings(proto, type(node).__name__):
            name = field.rsplit(".", 1)[1]
            if name in NOT_SHOWN:
                continue
            if message == "VegaLiteChart" and name == "spec":
                # Vega draws titles and labels as text and escapes tooltips (vega-tooltip's
                # default sanitize); only an href channel would make a mark a link.
                if '"href"' in json.dumps(json.loads(text)):
                    problems.setdefault(f"{field} has an href channel", []).append(where)
                shown.append(text)
                continue
            if (message, name) in PLAIN_FIELDS:
                shown.append(text)
                continue
            shown.append(as_shown(text))
            kinds = live_markup(text)
            if kinds:
                what = f"{field} renders {', '.join(kinds)}: {text[:100]!r}"
                problems.setdefault(what, []).append(where)


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def hostile_upload(framework_dir: Path) -> bytes:
    """The hostile framework as a zip, plus a role whose id and target are hostile (errors)."""
    files = {
        f"fw/{path.relative_to(framework_dir)}": path.read_text("utf-8")
        for path in sorted(framework_dir.rglob("*.yaml"))
    }
    bad_role = {"id": hostile("Upload id"), "title": "x", "family": "sales", "targets": {}}
    bad_role["targets"][hostile("Upload target")] = 3
    files["fw/roles/bad.yaml"] = yaml.safe_dump(bad_role)
    return _zip(files)


@pytest.fixture
def hostile_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """The app on the hostile framework and store, served (as far as it knows) on loopback."""
    framework_dir = write_hostile_framework(tmp_path / "framework")
    monkeypatch.setenv("SKILLMATRIX_FRAMEWORK", str(framework_dir))
    monkeypatch.setenv("SKILLMATRIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKILLMATRIX_DATABASE_URL", raising=False)
    with open_store() as store:
        ids: dict[str, Any] = dict(build_hostile_store(store, framework_dir))
    ids["framework_dir"] = framework_dir
    previous = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    try:
        yield ids
    finally:
        config.set_option("server.address", previous)


def _open(page: str, person: int | None, hr: bool) -> AppTest:
    """`page` as `person` (None: the HR administrator), with HR rights when `hr`: one run."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["act_as"] = "hr" if person is None else person
    at.session_state["as_hr"] = hr
    at.run().switch_page(f"app_pages/{page}.py").run()
    assert at.sidebar.selectbox(key="act_as").value == ("hr" if person is None else person)
    assert [as_shown(t.value) for t in at.title] == [TITLES[page]], page
    return at


def test_no_page_renders_user_text_as_markup_for_any_user(hostile_app):
    problems: dict[str, list[str]] = {}
    shown: list[str] = []
    for user, (key, hr) in USERS.items():
        person = hostile_app[key] if key else None
        for page in TITLES:
            at = _open(page, person, hr)
            assert not at.exception, (user, page, [e.value for e in at.exception])
            inspect_page(at, f"{page} as {user}", problems, shown)
            if hr or person is None:
                continue
            for picker in (s for s in at.selectbox if s.key in PICKERS):
                for index in range(1, len(picker.options)):
                    at.selectbox(key=picker.key).select_index(index).run()
                    assert not at.exception, (user, page, picker.key, index)
                    inspect_page(at, f"{page} as {user}, {picker.key}={index}", problems, shown)
    at = _open("framework_check", None, False)
    upload = hostile_upload(hostile_app["framework_dir"])
    at.file_uploader(key="fc_upload").set_value(("fw.zip", upload, "application/zip")).run()
    assert not at.exception
    inspect_page(at, "framework_check with a hostile upload", problems, shown)

    assert not problems, "\n".join(
        f"{what}\n    on {wheres[:3]}" for what, wheres in problems.items()
    )
    everything = "\n".join(shown)
    # Each hostile field is shown somewhere, whole and as text.
    missing = [
        field
        for field, tag in {**TAGS, "upload": "Upload"}.items()
        if not re.search(re.escape(tag) + r"[^\[\n]{0,40} " + re.escape(SHORT_PAYLOAD), everything)
    ]
    assert not missing, f"never shown: {missing}"
    assert LINK in everything
