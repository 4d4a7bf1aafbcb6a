"""A framework as a 1EdTech CASE 1.0 package (CFPackage JSON), with stable UUIDs.

Mapping (docs/interop.md): the framework is the CFDocument; each category, competency, level,
behavioural indicator and role is a CFItem (told apart by CFItemType); the tree is built with
`isChildOf` associations, consecutive levels are linked with `precedes`, a role `isRelatedTo`
the level it targets and `precedes` the roles on its ladder; each competency's five levels are
one CFRubric with one criterion and five criterion levels. An interview kit adds CFItems too:
each question `isChildOf` its competency (follow-ups in its `notes`, `isRelatedTo` the levels it
suits), each "looking for" point `isChildOf` its level.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path
from typing import Any

from skillmatrix.framework.model import Competency, Framework, Role
from skillmatrix.interop.exports.atomic import write_bytes_atomic

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://skillmatrix.example/case/1.0")
"""The uuid5 namespace; an item's UUID is uuid5(NAMESPACE, '<framework id>/<kind>/<item id>')."""

ITEM_TYPES = {
    "category": "Competency category",
    "competency": "Competency",
    "level": "Proficiency level",
    "indicator": "Behavioural indicator",
    "role": "Role",
    "question": "Interview question",
    "looking-for": "Interview looking-for point",
}
SOURCE_DATE_ENV = "SOURCE_DATE_EPOCH"


def case_uuid(framework_id: str, kind: str, item_id: str) -> str:
    """The stable UUID of one CASE object: the same framework and item always give the same."""
    return str(uuid.uuid5(NAMESPACE, f"{framework_id}/{kind}/{item_id}"))


def export_time() -> str:
    """`lastChangeDateTime` for the package: $SOURCE_DATE_EPOCH if set, else now (UTC)."""
    epoch = os.environ.get(SOURCE_DATE_ENV)
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Builder:
    """Accumulates the CFPackage's objects for one framework."""

    def __init__(self, framework: Framework, changed: str, base_uri: str | None) -> None:
        self.framework = framework
        self.changed = changed
        self.base_uri = base_uri.rstrip("/") if base_uri else None
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []
        self.rubrics: list[dict[str, Any]] = []
        self.document_id = case_uuid(framework.id, "document", framework.id)

    def uri(self, identifier: str, collection: str) -> str:
        if self.base_uri is None:
            return f"urn:uuid:{identifier}"
        return f"{self.base_uri}/{collection}/{identifier}"

    def link(self, identifier: str, title: str, collection: str = "CFItems") -> dict[str, str]:
        return {"title": title, "identifier": identifier, "uri": self.uri(identifier, collection)}

    def document_link(self) -> dict[str, str]:
        return self.link(self.document_id, self.framework.name, "CFDocuments")

    def item(
        self, kind: str, key: str, statement: str, **fields: Any
    ) -> tuple[str, dict[str, str]]:
        identifier = case_uuid(self.framework.id, kind, key)
        item: dict[str, Any] = {
            "identifier": identifier,
            "uri": self.uri(identifier, "CFItems"),
            "fullStatement": statement,
            "CFItemType": ITEM_TYPES[kind],
            "CFItemTypeURI": self.link(
                case_uuid(self.framework.id, "item-type", kind), ITEM_TYPES[kind], "CFItemTypes"
            ),
            "CFDocumentURI": self.document_link(),
            "lastChangeDateTime": self.changed,
        }
        item.update({k: v for k, v in fields.items() if v not in (None, "", [])})
        self.items.append(item)
        title = str(fields.get("abbreviatedStatement") or statement)
        return identifier, self.link(identifier, title)

    def associate(
        self, kind: str, origin: dict[str, str], destination: dict[str, str], sequence: int
    ) -> None:
        key = f"{origin['identifier']}/{kind}/{destination['identifier']}"
        identifier = case_uuid(self.framework.id, "association", key)
        self.associations.append(
            {
                "identifier": identifier,
                "associationType": kind,
                "sequenceNumber": sequence,
                "uri": self.uri(identifier, "CFAssociations"),
                "originNodeURI": origin,
                "destinationNodeURI": destination,
                "CFDocumentURI": self.document_link(),
                "lastChangeDateTime": self.changed,
            }
        )

    def competency(self, competency: Competency, parent: dict[str, str], sequence: int) -> None:
        fw = self.framework
        _cid, link = self.item(
            "competency",
            competency.id,
            competency.description,
            abbreviatedStatement=competency.name,
            humanCodingScheme=competency.id,
            listEnumeration=str(sequence),
            conceptKeywords=list(competency.tags),
        )
        self.associate("isChildOf", link, parent, sequence)
        previous: dict[str, str] | None = None
        criterion_levels = []
        level_links: dict[int, dict[str, str]] = {}
        for level in competency.levels:
            key = f"{competency.id}/{level.level}"
            _lid, level_link = self.item(
                "level",
                key,
                level.summary,
                abbreviatedStatement=f"{competency.name}: level {level.level}, "
                f"{fw.level_name(level.level)}",
                humanCodingScheme=f"{competency.id}.{level.level}",
                listEnumeration=str(level.level),
            )
            self.associate("isChildOf", level_link, link, level.level)
            if previous is not None:
                self.associate("precedes", previous, level_link, level.level - 1)
            previous = level_link
            for number, text in enumerate(level.indicators, start=1):
                _iid, indicator_link = self.item(
                    "indicator",
                    f"{key}/{number}",
                    text,
                    humanCodingScheme=f"{competency.id}.{level.level}.{number}",
                    listEnumeration=str(number),
                )
                self.associate("isChildOf", indicator_link, level_link, number)
            criterion_levels.append((level, level_link))
            level_links[level.level] = level_link
        self.rubric(competency, link, criterion_levels)
        self.interview(competency, link, level_links)

    def interview(
        self, competency: Competency, link: dict[str, str], levels: dict[int, dict[str, str]]
    ) -> None:
        """The kit as items: questions under the competency, looking-for points under levels."""
        kit = competency.interview
        if kit is None:
            return
        for number, question in enumerate(kit.questions, start=1):
            notes = [f"Follow-up: {text}" for text in question.follow_ups]
            if question.levels:
                notes.append("Levels: " + ", ".join(str(n) for n in question.levels))
            _qid, question_link = self.item(
                "question",
                f"{competency.id}/question/{number}",
                question.text,
                humanCodingScheme=f"{competency.id}.Q{number}",
                listEnumeration=f"Q{number}",
                notes="\n".join(notes),
            )
            # Levels take sequence numbers 1-5 under the competency; questions follow them.
            self.associate("isChildOf", question_link, link, len(levels) + number)
            for position, level in enumerate(question.levels, start=1):
                self.associate("isRelatedTo", question_link, levels[level], position)
        for level, points in kit.looking_for.items():
            offset = len(competency.level(level).indicators)
            for number, point in enumerate(points, start=1):
                _pid, point_link = self.item(
                    "looking-for",
                    f"{competency.id}/{level}/looking-for/{number}",
                    point,
                    humanCodingScheme=f"{competency.id}.{level}.L{number}",
                    listEnumeration=f"L{number}",
                )
                # After the level's indicators, so that a level's children keep one order.
                self.associate("isChildOf", point_link, levels[level], offset + number)

    def rubric(self, competency: Competency, link: dict[str, str], levels: list[Any]) -> None:
        fw = self.framework
        rubric_id = case_uuid(fw.id, "rubric", competency.id)
        criterion_id = case_uuid(fw.id, "rubric-criterion", competency.id)
        criterion_levels = []
        for level, _level_link in levels:
            level_id = case_uuid(fw.id, "rubric-criterion-level", f"{competency.id}/{level.level}")
            criterion_levels.append(
                {
                    "identifier": level_id,
                    "uri": self.uri(level_id, "CFRubricCriterionLevels"),
                    "description": level.summary,
                    "quality": fw.level_name(level.level),
                    "score": level.level,
                    "feedback": "\n".join(f"- {text}" for text in level.indicators),
                    "position": level.level,
                    "rubricCriterionId": criterion_id,
                    "lastChangeDateTime": self.changed,
                }
            )
        self.rubrics.append(
            {
                "identifier": rubric_id,
                "uri": self.uri(rubric_id, "CFRubrics"),
                "title": competency.name,
                "description": competency.description,
                "lastChangeDateTime": self.changed,
                "CFRubricCriteria": [
                    {
                        "identifier": criterion_id,
                        "uri": self.uri(criterion_id, "CFRubricCriteria"),
                        "category": competency.name,
                        "description": competency.description,
                        "CFItemURI": link,
                        "weight": 1,
                        "position": 1,
                        "rubricId": rubric_id,
                        "lastChangeDateTime": self.changed,
                        "CFRubricCriterionLevels": criterion_levels,
                    }
                ],
            }
        )

    def role(self, role: Role, parent: dict[str, str], sequence: int) -> dict[str, str]:
        targets = "; ".join(
            f"{t.competency}: level {t.level}, weight {t.weight:g}"
            + (", critical" if t.critical else "")
            for t in role.targets
        )
        _rid, link = self.item(
            "role",
            role.id,
            role.summary or role.title,
            abbreviatedStatement=role.title,
            humanCodingScheme=role.id,
            listEnumeration=str(sequence),
            notes=f"Family {role.family}"
            + (f", grade {role.grade}" if role.grade else "")
            + (f". Targets: {targets}." if targets else "."),
        )
        self.associate("isChildOf", link, parent, sequence)
        for number, target in enumerate(role.targets, start=1):
            level_id = case_uuid(self.framework.id, "level", f"{target.competency}/{target.level}")
            self.associate("isRelatedTo", link, self.link(level_id, target.competency), number)
        return link


def _license(builder: _Builder) -> dict[str, Any] | None:
    attribution = builder.framework.attribution
    if attribution is None:
        return None
    identifier = case_uuid(builder.framework.id, "license", attribution.licence)
    return {
        "identifier": identifier,
        "uri": builder.uri(identifier, "CFLicenses"),
        "title": attribution.licence,
        "licenseText": attribution.notice or f"{attribution.source}, {attribution.licence}",
        "lastChangeDateTime": builder.changed,
    }


def case_package(
    framework: Framework, *, changed: str | None = None, base_uri: str | None = None
) -> dict[str, Any]:
    """The CASE 1.0 CFPackage of `framework` as JSON-ready data.

    `changed` is every object's lastChangeDateTime (default: export_time()); `base_uri`, if
    given, makes URIs `<base_uri>/<collection>/<uuid>` instead of `urn:uuid:<uuid>`.
    """
    builder = _Builder(framework, changed or export_time(), base_uri)
    root = builder.document_link()
    for number, category in enumerate(framework.categories.values(), start=1):
        _id, link = builder.item(
            "category",
            category.id,
            category.description or category.name,
            abbreviatedStatement=category.name,
            humanCodingScheme=category.id,
            listEnumeration=str(number),
        )
        builder.associate("isChildOf", link, root, number)
    category_links = {
        c.id: builder.link(case_uuid(framework.id, "category", c.id), c.name)
        for c in framework.categories.values()
    }
    for number, competency in enumerate(framework.competencies.values(), start=1):
        builder.competency(competency, category_links[competency.category], number)
    role_links = {
        role.id: builder.role(role, root, number)
        for number, role in enumerate(framework.roles.values(), start=1)
    }
    for role in framework.roles.values():
        for number, step in enumerate(role.next, start=1):
            builder.associate("precedes", role_links[role.id], role_links[step], number)
    licence = _license(builder)
    attribution = framework.attribution
    notes = [f"Exported by skillmatrix from framework {framework.id}, version {framework.version}."]
    if attribution is not None:
        notes.append(f"Source: {attribution.source}. Licence: {attribution.licence}.")
        if attribution.url:
            notes.append(f"URL: {attribution.url}")
        if attribution.notice:
            notes.append(attribution.notice)
    document: dict[str, Any] = {
        "identifier": builder.document_id,
        "uri": builder.uri(builder.document_id, "CFDocuments"),
        "creator": attribution.source if attribution else framework.name,
        "title": framework.name,
        "lastChangeDateTime": builder.changed,
        "description": framework.description or None,
        "version": framework.label or framework.version,
        "notes": "\n".join(notes),
        "CFPackageURI": builder.link(builder.document_id, framework.name, "CFPackages"),
    }
    if licence is not None:
        document["licenseURI"] = {
            "title": licence["title"],
            "identifier": licence["identifier"],
            "uri": licence["uri"],
        }
    item_types = [
        {
            "identifier": case_uuid(framework.id, "item-type", kind),
            "uri": builder.uri(case_uuid(framework.id, "item-type", kind), "CFItemTypes"),
            "title": title,
            "description": f"A skillmatrix {kind}.",
            "hierarchyCode": kind,
            "lastChangeDateTime": builder.changed,
        }
        for kind, title in ITEM_TYPES.items()
    ]
    definitions: dict[str, Any] = {"CFItemTypes": item_types}
    if licence is not None:
        definitions["CFLicenses"] = [licence]
    return {
        "CFDocument": {k: v for k, v in document.items() if v is not None},
        "CFItems": builder.items,
        "CFAssociations": builder.associations,
        "CFDefinitions": definitions,
        "CFRubrics": builder.rubrics,
    }


def export_case(
    framework: Framework, out: Path, *, changed: str | None = None, base_uri: str | None = None
) -> Path:
    """Write the CASE 1.0 package as JSON at `out`, atomically; return the path."""
    package = case_package(framework, changed=changed, base_uri=base_uri)
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    write_bytes_atomic(Path(out), text.encode("utf-8"))
    return Path(out)
