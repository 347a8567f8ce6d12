"""``junit.xml``: one testsuite per connector, one testcase per (operation, check) case.

A case with error findings gets a ``<failure>``; warnings, advisories and observations go
to the case's ``<system-out>`` and do not fail it.
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


def _failure_message(failures: tuple[Finding, ...]) -> str:
    more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
    return xml_text(failures[0].message.splitlines()[0] if failures[0].message else "") + more


def _testcase(parent: ET.Element, result: CaseResult) -> None:
    case = result.case
    classname = ".".join(p for p in (suite_name(case.connector), case.operation) if p)
    element = ET.SubElement(
        parent, "testcase", name=xml_text(case.check), classname=xml_text(classname), time="0"
    )
    if result.failures:
        failure = ET.SubElement(
            element,
            "failure",
            message=_failure_message(result.failures),
            type=xml_text(case.check),
        )
        failure.text = _joined(result.failures)
    if result.notes:
        ET.SubElement(element, "system-out").text = _joined(result.notes)


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
            skipped="0",
        )
        if outcome.started_at:
            suite.set("timestamp", outcome.started_at)
        for result in group:
            _testcase(suite, result)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
