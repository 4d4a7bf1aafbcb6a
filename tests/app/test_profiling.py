"""The developer's profiler switch: pyinstrument profiles only when SKILLMATRIX_PROFILE_DIR asks."""

from __future__ import annotations

import pytest

from skillmatrix.webapp import profiling


def _busy() -> int:
    return sum(i * i for i in range(200_000))


def test_no_profile_unless_asked(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(profiling.PROFILE_DIR, raising=False)
    assert profiling.start() is None
    with profiling.profiled("page"):
        _busy()
    assert list(tmp_path.iterdir()) == []


def test_a_profile_names_the_run_and_what_it_spent_time_on(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(profiling.PROFILE_DIR, str(tmp_path / "profiles"))
    outer = profiling.start()
    with profiling.profiled("rating form"):  # nested, as the form's fragment inside a page
        _busy()
    profiling.finish(outer, "Self-assessment")
    written = sorted(p.name.split("-", 1)[1] for p in (tmp_path / "profiles").iterdir())
    assert written == ["Self-assessment.txt", "rating-form.txt"]
    for path in (tmp_path / "profiles").iterdir():
        assert "_busy" in path.read_text("utf-8")
