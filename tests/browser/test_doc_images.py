"""The pictures in docs/ stay true: each comes from a browser test, none is left over.

Every `images/*.png` the docs show must exist and be written by a `screenshot(..., for_docs=True)`
call of the browser tests (a literal name, or one page picture per page of app.py's PAGES);
every picture in docs/images must be shown somewhere. docs/app.md's "Every page" section is
made from the page list. `make docs-images` (SKILLMATRIX_UPDATE_DOC_IMAGES=1) rewrites that
section and removes pictures no test makes any more, instead of failing.
"""

from __future__ import annotations

import re
from pathlib import Path

from browser_helpers import DOC_IMAGES, REPO, UPDATE_DOC_IMAGES, AppPage, app_pages

DOCS = REPO / "docs"
APP_MD = DOCS / "app.md"
REFERENCE = re.compile(r"\]\((?:\./)?images/([A-Za-z0-9_.-]+\.png)\)")
LITERAL_CALL = re.compile(r"screenshot\(\s*\w+,\s*\"([A-Za-z0-9_.-]+)\",\s*for_docs=True")
GALLERY = re.compile(r"<!-- pages:start -->.*?<!-- pages:end -->", re.S)
# Who each section of the navigation is for (tests/browser/test_pages.py PERSONA).
AS = {
    "Employee": "an employee",
    "Manager": "a manager",
    "Hiring": "an interviewer",
    "Framework": "HR",
}


def referenced() -> dict[str, list[str]]:
    """Picture file name -> the docs pages that show it."""
    found: dict[str, list[str]] = {}
    for page in sorted([*DOCS.glob("*.md"), REPO / "README.md"]):
        for name in REFERENCE.findall(page.read_text("utf-8")):
            found.setdefault(name, []).append(page.name)
    return found


def produced() -> set[str]:
    """Picture file names some browser test writes for the docs."""
    names = {f"{page.doc_image}.png" for page in app_pages()}
    for source in (REPO / "tests" / "browser").glob("test_*.py"):
        names |= {f"{name}.png" for name in LITERAL_CALL.findall(source.read_text("utf-8"))}
    return names


def gallery(pages: list[AppPage]) -> str:
    """The "Every page" section of docs/app.md: one picture per page, as who uses it."""
    lines = [
        "<!-- pages:start -->",
        "<!-- Written by `make docs-images` from app.py's PAGES; edit the pages, not this. -->",
    ]
    for page in pages:
        who = AS.get(page.section, "HR")
        lines += [
            "",
            f"**{page.section} · {page.title}** (as {who})",
            "",
            f"![{page.title}, as {who}](images/{page.doc_image}.png)",
        ]
    lines.append("<!-- pages:end -->")
    return "\n".join(lines)


def test_app_md_shows_every_page_from_the_page_list():
    text = APP_MD.read_text("utf-8")
    assert GALLERY.search(text), "docs/app.md lacks its <!-- pages:start --> section"
    expected = gallery(app_pages())
    if UPDATE_DOC_IMAGES:
        APP_MD.write_text(GALLERY.sub(lambda _m: expected, text), "utf-8")
        return
    assert GALLERY.search(text).group(0) == expected, "run `make docs-images`"


def test_every_picture_the_docs_show_exists_and_a_test_makes_it():
    shown = referenced()
    made = produced()
    assert shown, "the docs show no pictures?"
    unmade = sorted(name for name in shown if name not in made)
    assert not unmade, f"no screenshot(..., for_docs=True) writes {unmade} (shown in docs)"
    if UPDATE_DOC_IMAGES:
        return  # the pictures are being written by this same run
    missing = sorted(name for name in shown if not (DOC_IMAGES / name).is_file())
    assert not missing, f"{missing} shown in docs but not in docs/images: run make docs-images"


def test_no_picture_is_left_over():
    shown = set(referenced())
    if UPDATE_DOC_IMAGES:
        shown |= {f"{page.doc_image}.png" for page in app_pages()}
    orphans = sorted(path.name for path in Path(DOC_IMAGES).glob("*.png") if path.name not in shown)
    if UPDATE_DOC_IMAGES:
        for name in orphans:
            (DOC_IMAGES / name).unlink()
        return
    assert not orphans, f"docs/images holds pictures no doc shows: {orphans}"
