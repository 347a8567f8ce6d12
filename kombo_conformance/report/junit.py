"""``junit.xml``: one testsuite per connector, one testcase per (operation, check) case.

Testcases stay one per case, so CI views count cases as every other format does; inside a
case its findings are written by group (one per rule broken there): the group line (its
severity, count, change since ``--compare``, rule source), then its examples, then how many
more. A failed case (error findings) gets a ``<failure>`` with its failing groups; a case
that was ``not run``, is ``inconclusive`` or ``not applicable`` gets ``<skipped
message="<verdict>: <reason>">``, so no CI view counts it as a pass. The note of a passed
case (what a bounded pass did not judge), then the other groups (warnings, advisories,
observations), go to the case's ``<system-out>`` and do not fail it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kombo_conformance.findings import Outcome
from kombo_conformance.report.groups import Group, grouped
from kombo_conformance.report.results import (
    CaseResult,
    by_connector,
    case_key,
    case_results,
    suite_name,
)
from kombo_conformance.report.text import group_text

CaseGroups = dict[tuple[str, str, str], list[Group]]

FILENAME = "junit.xml"

# Characters XML 1.0 cannot carry at all (response excerpts may contain them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _joined(groups: list[Group]) -> str:
    return xml_text("\n\n".join(group_text(g) for g in groups))


def _case_groups(outcome: Outcome) -> CaseGroups:
    by_case: CaseGroups = {}
    for group in grouped(outcome).all:
        by_case.setdefault((group.connector, group.operation, group.check), []).append(group)
    return by_case


def _failure_message(result: CaseResult) -> str:
    failures = result.failures
    if not failures:
        return xml_text(result.note or "failed")
    more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
    return xml_text(failures[0].message.splitlines()[0] if failures[0].message else "") + more


def _skip_message(result: CaseResult) -> str | None:
    """``not run: writes not allowed``; None for a case that passed or failed."""
    if result.verdict in ("passed", "failed"):
        return None
    return xml_text(f"{result.verdict}: {result.note}" if result.note else result.verdict)


def _testcase(parent: ET.Element, result: CaseResult, groups: list[Group]) -> None:
    case = result.case
    classname = ".".join(p for p in (suite_name(case.connector), case.operation) if p)
    element = ET.SubElement(
        parent, "testcase", name=xml_text(case.check), classname=xml_text(classname), time="0"
    )
    skipped = _skip_message(result)
    if result.failed:
        failure = ET.SubElement(
            element, "failure", message=_failure_message(result), type=xml_text(case.check)
        )
        failure.text = _joined([g for g in groups if g.fails])
    elif skipped is not None:
        ET.SubElement(element, "skipped", message=skipped)
    note = " ".join(p for p in ("bounded:" if result.bounded else "", result.note) if p)
    out = [xml_text(note)] if note and skipped is None else []
    if notes := [g for g in groups if not g.fails]:
        out.append(_joined(notes))
    if out:
        ET.SubElement(element, "system-out").text = "\n\n".join(out)


def render(outcome: Outcome) -> str:
    """The JUnit XML document (``outcome`` must already be redacted)."""
    results = case_results(outcome)
    groups = _case_groups(outcome)
    root = ET.Element(
        "testsuites",
        name=f"kombo-conformance {outcome.command}",
        tests=str(len(results)),
        failures=str(sum(r.failed for r in results)),
        errors="0",
        time=f"{outcome.duration_s:.3f}",
    )
    for connector, group in by_connector(results).items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=xml_text(suite_name(connector)),
            tests=str(len(group)),
            failures=str(sum(r.failed for r in group)),
            errors="0",
            skipped=str(sum(_skip_message(r) is not None for r in group)),
        )
        if outcome.started_at:
            suite.set("timestamp", outcome.started_at)
        for result in group:
            _testcase(suite, result, groups.get(case_key(result.case), []))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
