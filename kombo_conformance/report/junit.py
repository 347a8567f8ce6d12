"""``junit.xml``: one testsuite per connector, one testcase per (operation, check) case.

A failed case (error findings) gets a ``<failure>``; a case that was ``not run``, is
``inconclusive`` or ``not applicable`` gets ``<skipped message="<verdict>: <reason>">``, so
no CI view counts it as a pass. The note of a passed case (what a bounded pass did not
judge), then warnings, advisories and observations, go to the case's ``<system-out>`` and
do not fail it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report.results import CaseResult, by_connector, case_results, suite_name
from kombo_conformance.report.text import finding_text

FILENAME = "junit.xml"

# Characters XML 1.0 cannot carry at all (response excerpts may contain them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _joined(findings: tuple[Finding, ...]) -> str:
    return xml_text("\n\n".join(finding_text(f) for f in findings))


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


def _testcase(parent: ET.Element, result: CaseResult) -> None:
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
        failure.text = _joined(result.failures)
    elif skipped is not None:
        ET.SubElement(element, "skipped", message=skipped)
    note = " ".join(p for p in ("bounded:" if result.bounded else "", result.note) if p)
    out = [xml_text(note)] if note and skipped is None else []
    if result.notes:
        out.append(_joined(result.notes))
    if out:
        ET.SubElement(element, "system-out").text = "\n\n".join(out)


def render(outcome: Outcome) -> str:
    """The JUnit XML document (``outcome`` must already be redacted)."""
    results = case_results(outcome)
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
            _testcase(suite, result)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
