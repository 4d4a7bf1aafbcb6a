"""The short form of benchmarks/load.py: concurrent users for a few seconds, nothing lost.

The long form (minutes, with a real Streamlit server, and two servers on one PostgreSQL
database) is the documented benchmark; see docs/performance.md.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_benchmark", REPO / "benchmarks/load.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


load = _load_benchmark()


def test_concurrent_users_lose_and_change_no_rating(store_url: str, framework_dir: Path) -> None:
    backend = "SQLite" if store_url.startswith("sqlite") else "PostgreSQL"
    result = load.run_service_load(
        store_url, users=4, seconds=2.0, framework_dir=framework_dir, backend=backend
    )
    assert result.errors == []
    assert result.assessments > 0
    assert result.ratings >= result.assessments
    assert (result.lost, result.changed) == (0, 0)
    assert result.latencies["submit"]
    assert result.throughput > 0


def test_verification_notices_a_changed_and_a_lost_rating(
    store_url: str, framework_dir: Path
) -> None:
    """The checker itself can fail: tamper with what a user remembers and it must notice."""
    org = load.prepare(store_url, framework_dir, 1)
    recorder = load.Recorder(load.LoadResult("t", "t", 1))
    expected = load.run_writers(org, 1, 0.5, recorder, manager=False)
    assert expected
    first = next(iter(expected))
    cid, (level, note) = next(iter(expected[first].items()))
    expected[first][cid] = (level, note + " tampered")
    expected[first]["no-such-competency"] = (1, "never saved")
    result = load.LoadResult("t", "t", 1)
    load.verify(org, expected, result)
    assert (result.lost, result.changed) == (1, 1)


@pytest.mark.slow
def test_streamlit_server_under_load_loses_nothing(tmp_path: Path, framework_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    result = load.run_server_load(
        url,
        users=2,
        seconds=3.0,
        framework_dir=framework_dir,
        backend="SQLite",
        max_requests=500,
        work=tmp_path,
    )
    assert result.errors == []
    assert result.latencies["page rerun (websocket)"]
    assert (result.lost, result.changed) == (0, 0)


@pytest.mark.postgres
@pytest.mark.slow
def test_two_streamlit_servers_on_one_database_lose_nothing_and_share_editions(
    tmp_path: Path, framework_dir: Path
) -> None:
    """Two app servers as behind a balancer: users rate through the pages of both (each
    assessment started on one and submitted on the other), nothing is lost or changed, and a
    framework edition deployed to server A only is served by server B from the database."""
    base = os.environ.get(load.POSTGRES_ENV)
    if not base:
        pytest.skip(f"{load.POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    with load.database(base, tmp_path) as (url, backend):
        result = load.run_multi_server_load(
            url, users=2, seconds=2.0, framework_dir=framework_dir, backend=backend, work=tmp_path
        )
    assert result.errors == []
    assert result.edition_seen is True
    # At least one round per user, plus the assessment of the edition check.
    assert result.assessments >= 3
    assert result.ratings >= 2 * result.assessments
    assert result.latencies["submit (page)"]
    assert (result.lost, result.changed) == (0, 0)
