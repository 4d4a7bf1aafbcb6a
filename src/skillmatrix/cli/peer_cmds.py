"""The `peer` commands: ask peers for feedback, list requests, answer or decline one.

The CLI acts as the local administrator on the store it opens, unless --as EMAIL is given;
answering needs --as (only the named peer answers).
"""

from __future__ import annotations

from pathlib import Path

import click

from skillmatrix.cli import cli
from skillmatrix.cli.access_cmds import acting, as_option, person_id_of
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.hiring_cmds import (
    as_json_value,
    emit,
    framework_dir_option,
    json_option,
    parse_date,
)
from skillmatrix.cli.output import table
from skillmatrix.errors import InputError
from skillmatrix.storage import Actor, RatingInput, Store, open_store, services
from skillmatrix.storage.services.peer_feedback import (
    answer_request,
    decline_request,
    list_peer_requests,
    peer_aggregate,
    peer_choices,
    request_feedback,
)

NOT_OBSERVED = ("n/o", "not-observed", "-")


def parse_rating(text: str) -> RatingInput:
    """A --rating COMPETENCY=LEVEL value (LEVEL 0 to 5, or n/o for not observed)."""
    competency, sep, level = text.partition("=")
    if not sep or not competency.strip():
        raise InputError(f"--rating: {text!r}: write COMPETENCY=LEVEL, e.g. negotiation=3")
    value = level.strip().lower()
    if value in NOT_OBSERVED:
        return RatingInput(competency.strip(), None)
    if not (value.isascii() and value.isdigit()) or int(value) > 5:
        raise InputError(f"--rating: {text!r}: the level is 0 to 5, or n/o for not observed")
    return RatingInput(competency.strip(), int(value))


def _peer_ids(store: Store, actor: Actor, subject_id: int, peers: tuple[str, ...]) -> list[int]:
    """Peer ids from ids or emails, looked up in the directory of colleagues one may ask."""
    directory = {c.email.lower(): c.id for c in peer_choices(store, actor, subject_id)}
    ids = []
    for given in peers:
        text = given.strip()
        if text.isascii() and text.isdigit():
            ids.append(int(text) if len(text) < 12 else 0)
        elif text.lower() in directory:
            ids.append(directory[text.lower()])
        else:
            raise InputError(f"--peer {given!r}: no employee with that email")
    return ids


@cli.group()
def peer() -> None:
    """Peer feedback: ask named peers, see who answered, answer what you were asked.

    \b
    Example:
      skillmatrix peer request --subject ann@example.org --peer bob@example.org \\
        --peer cy@example.org --peer dee@example.org --competency negotiation
    """


@peer.command("request")
@database_option
@as_option
@framework_dir_option
@click.option("--subject", required=True, metavar="ID|EMAIL", help="Whom the feedback is about.")
@click.option(
    "--peer", "peers", multiple=True, required=True, metavar="ID|EMAIL", help="A peer (repeatable)."
)
@click.option(
    "--competency",
    "competencies",
    multiple=True,
    required=True,
    help="A competency id (repeatable).",
)
@click.option("--role", "role_id", help="The role rated against (default: the subject's).")
@click.option("--due", metavar="YYYY-MM-DD", help="When the answers are due.")
@click.option("--cycle", "cycle_id", type=int, help="The review cycle the feedback belongs to.")
@json_option
def peer_request(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    subject: str,
    peers: tuple[str, ...],
    competencies: tuple[str, ...],
    role_id: str | None,
    due: str | None,
    cycle_id: int | None,
    as_json: bool,
) -> None:
    """Ask each peer for feedback on the competencies (one request per peer).

    \b
    Example:
      skillmatrix peer request --as ann@example.org --subject ann@example.org \\
        --peer bob@example.org --peer cy@example.org --peer dee@example.org \\
        --competency negotiation --competency communication --due 2027-04-22
    """
    due_date = parse_date(due, "--due")
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        subject_id = person_id_of(store, actor, subject)
        peer_ids = _peer_ids(store, actor, subject_id, peers)
        digest = services.snapshot_framework(store, actor, framework_dir).content_hash
        records = request_feedback(
            store,
            actor,
            subject_id=subject_id,
            peer_ids=peer_ids,
            competencies=competencies,
            framework_hash=digest,
            role_id=role_id,
            due_date=due_date,
            cycle_id=cycle_id,
        )
    if as_json:
        emit([as_json_value(r) for r in records])
        return
    for record in records:
        click.echo(f"asked person {record.peer_id}: request {record.id}")


@peer.command("list")
@database_option
@as_option
@click.option("--mine", is_flag=True, help="Only the requests asked of me.")
@click.option("--about", metavar="ID|EMAIL", help="Only the requests about this person.")
@click.option("--status", type=click.Choice(["requested", "answered", "declined"]))
@click.option(
    "--summary",
    is_flag=True,
    help="With --about: the aggregate (median and count, from 3 answers on; see "
    "SKILLMATRIX_PEER_THRESHOLD).",
)
@json_option
def peer_list(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    mine: bool,
    about: str | None,
    status: str | None,
    summary: bool,
    as_json: bool,
) -> None:
    """List the requests you may see (who was asked, who answered; never what they said).

    \b
    Example:
      skillmatrix peer list --as bob@example.org --mine --status requested
      skillmatrix peer list --as ann@example.org --about ann@example.org --summary
    """
    if summary and about is None:
        raise InputError("--summary needs --about ID|EMAIL")
    if mine and as_email is None:
        raise InputError("--mine needs --as EMAIL: the local administrator is asked nothing")
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        subject_id = person_id_of(store, actor, about) if about else None
        if summary and subject_id is not None:
            aggregate = peer_aggregate(store, actor, subject_id)
            if as_json:
                emit(as_json_value(aggregate))
                return
            click.echo(f"{aggregate.answered} of {aggregate.requested} requests answered")
            click.echo(
                table(
                    ["competency", "peer feedback"],
                    [[e.competency_id, e.text] for e in aggregate.entries],
                )
            )
            return
        records = list_peer_requests(
            store,
            actor,
            peer_id=actor.person_id if mine else None,
            subject_id=subject_id,
            status=status,
        )
    if as_json:
        emit([as_json_value(r) for r in records])
        return
    if not records:
        click.echo("no peer feedback requests")
        return
    click.echo(
        table(
            ["id", "subject", "peer", "status", "due", "competencies"],
            [
                [
                    r.id,
                    r.subject_id,
                    r.peer_id,
                    r.status,
                    r.due_date or "-",
                    ",".join(r.competencies),
                ]
                for r in records
            ],
        )
    )


@peer.command("answer")
@database_option
@as_option
@click.argument("request_id", type=int)
@click.option(
    "--rating",
    "ratings",
    multiple=True,
    metavar="COMPETENCY=LEVEL",
    help="A rating (repeatable); LEVEL 0-5 or n/o.",
)
@click.option("--decline", is_flag=True, help="Decline the request instead of answering.")
@click.option("--draft", is_flag=True, help="Save the ratings without submitting them.")
def peer_answer(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    request_id: int,
    ratings: tuple[str, ...],
    decline: bool,
    draft: bool,
) -> None:
    """Answer a request asked of you (submitted at once unless --draft), or decline it.

    \b
    Example:
      skillmatrix peer answer 7 --as bob@example.org --rating negotiation=3 \\
        --rating communication=n/o
      skillmatrix peer answer 8 --as bob@example.org --decline
    """
    if decline and ratings:
        raise InputError("--decline takes no --rating")
    if not decline and not ratings:
        raise InputError("give at least one --rating COMPETENCY=LEVEL, or --decline")
    parsed = [parse_rating(r) for r in ratings]
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        if decline:
            record = decline_request(store, actor, request_id)
        else:
            record = answer_request(store, actor, request_id, parsed, submit=not draft)
    verb = "declined" if decline else "saved" if draft else "answered"
    click.echo(f"{verb} request {record.id}")
