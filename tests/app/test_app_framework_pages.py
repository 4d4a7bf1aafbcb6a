"""Framework browser and framework check pages."""

from __future__ import annotations

import io
import re
import zipfile

from app_helpers import frame, open_app, texts


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _framework_files(env, prefix="framework/"):
    return {
        prefix + path.relative_to(env.framework_dir).as_posix(): path.read_bytes()
        for path in env.framework_dir.rglob("*.yaml")
    }


def test_browser_lists_roles_searches_and_shows_levels(app_env):
    at = open_app("framework_browser")
    overview = frame(at)
    assert set(overview["role"]) == {
        "Account Executive",
        "Sales Manager",
        "Support Specialist",
        "Support Manager",
    }
    at.selectbox(key="fb_role").set_value("sales-manager").run()
    targets = frame(at, 1)
    assert next(iter(targets["level"])) == "4 · Extensive Experience"
    at.text_input(key="fb_search").input("coaching L3 behaviour 2").run()
    hits = frame(at, 0)
    assert list(hits["name"]) == ["Coaching"]
    at.selectbox(key="fb_competency:None").set_value("negotiation").run()
    shown = texts(at)
    assert "negotiation L5 behaviour 3" in shown
    assert "Needed by: Account Executive (3), Support Specialist (2)" in shown


def test_check_a_valid_zip_says_valid(app_env):
    at = open_app("framework_check")
    at.file_uploader(key="fc_upload").set_value(
        ("framework.zip", _zip(_framework_files(app_env)), "application/zip")
    ).run()
    assert not at.exception
    assert "valid: 5 competencies, 4 roles" in texts(at)
    assert at.success


def test_check_a_broken_zip_lists_every_located_error(app_env):
    files = _framework_files(app_env)
    role = "framework/roles/account-executive.yaml"
    files[role] = files[role].replace(b"forecasting:", b"forcasting:")
    competency = "framework/competencies/coaching.yaml"
    files[competency] = files[competency].replace(b"id: coaching", b"id: coaching-skills")
    at = open_app("framework_check")
    at.file_uploader(key="fc_upload").set_value(
        ("broken.zip", _zip(files), "application/zip")
    ).run()
    assert not at.exception
    # forcasting unknown; coaching-skills not its file name; two roles still target coaching.
    assert "invalid: 5 competencies, 4 roles; 4 error(s), 1 warning(s)" in texts(at)
    (table,) = at.table
    rows = table.value.to_dict("records")
    assert list(table.value.columns) == ["severity", "location", "field", "message"]
    files_named = {row["location"].split(":")[0] for row in rows}
    assert "roles/account-executive.yaml" in files_named
    assert "competencies/coaching.yaml" in files_named
    assert all(not f.startswith("/") for f in files_named), "paths are relative to the upload"
    row = next(r for r in rows if r["location"].startswith("roles/account-executive.yaml:"))
    assert re.fullmatch(r"roles/account-executive\.yaml:\d+:\d+", row["location"])
    # Whole messages: the table holds each issue's full text, the same as the plain list.
    code = at.code[0].value
    for entry in rows:
        assert f": {entry['message']}" in code
    assert "forcasting" in row["message"]
    code = at.code[0].value
    assert "roles/account-executive.yaml:" in code


def test_check_refuses_path_traversal_in_a_zip(app_env, tmp_path):
    files = _framework_files(app_env, prefix="")
    files["../../evil.yaml"] = b"id: evil\n"
    at = open_app("framework_check")
    at.file_uploader(key="fc_upload").set_value(("evil.zip", _zip(files), "application/zip")).run()
    assert not at.exception
    assert "would leave the upload folder" in texts(at)
    assert not (tmp_path.parent / "evil.yaml").exists()


def test_check_says_when_an_upload_is_not_a_framework(app_env):
    at = open_app("framework_check")
    at.file_uploader(key="fc_upload").set_value(
        ("notes.zip", _zip({"notes/readme.txt": b"hello"}), "application/zip")
    ).run()
    assert "this is not a framework" in texts(at)
    at.file_uploader(key="fc_upload").set_value(
        ("fake.zip", b"this is not a zip", "application/zip")
    ).run()
    assert "not a valid zip" in texts(at)


def test_check_loose_files_are_placed_by_kind(app_env):
    uploads = [
        (path.name, path.read_bytes(), "application/yaml")
        for path in sorted(app_env.framework_dir.rglob("*.yaml"))
    ]
    at = open_app("framework_check")
    at.file_uploader(key="fc_upload").set_value(uploads).run()
    assert at.success, texts(at)
    assert "valid: 5 competencies, 4 roles" in texts(at)
