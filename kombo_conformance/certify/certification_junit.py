"""``junit.xml`` for certify: one testsuite per connector, one testcase per matrix cell.

A cell that fails the gate (findings not in the baseline) has a ``<failure>`` listing those
findings; a non-passing cell whose findings are all baselined is ``<skipped>`` with the
reason; what was claimed (the declaration, else the hand profile), the verified status and
the evidence go to ``<system-out>``. With ``--compare``, each testsuite's ``<system-out>``
says what changed (the counts) and lists that connector's new and fixed groups.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from kombo_conformance.certify.matrix import Cell
from kombo_conformance.certify.result import Certification
from kombo_conformance.report.groups import Grouped, from_comparison
from kombo_conformance.report.junit import xml_text
from kombo_conformance.report.text import change_line, finding_text, group_line

FILENAME = "junit.xml"


def _testcase(suite: ET.Element, cell: Cell) -> None:
    element = ET.SubElement(
        suite,
        "testcase",
        name=xml_text(cell.operation),
        classname=xml_text(f"certify.{cell.connector}"),
        time="0",
    )
    new = cell.new_findings
    if not cell.passed and new:
        failure = ET.SubElement(
            element,
            "failure",
            message=xml_text(
                f"{cell.status}: {new[0].message.splitlines()[0] if new[0].message else ''}"
            ),
            type=cell.status,
        )
        failure.text = xml_text("\n\n".join(finding_text(f) for f in new))
    elif not cell.passed:
        ET.SubElement(
            element, "skipped", message=f"{cell.status}; every finding is in the baseline"
        )
    claimed = cell.claim or ("declared" if cell.declared else "not declared")
    ET.SubElement(element, "system-out").text = xml_text(
        f"claimed: {claimed}; verified: {cell.status}; {cell.evidence.describe()}"
    )


def _changes(view: Grouped, slug: str) -> str:
    """``compared with ...: 1 new, ...``, then this connector's new and fixed groups."""
    changed = (*view.changed("new"), *view.changed("fixed"))
    return "\n".join([change_line(view), *(group_line(g) for g in changed if g.connector == slug)])


def render(certification: Certification) -> str:
    cells = certification.cells
    comparison = certification.meta.get("comparison")
    view = (
        from_comparison(certification.findings, comparison)
        if isinstance(comparison, Mapping)
        else None
    )
    root = ET.Element(
        "testsuites",
        name="kombo-conformance certify",
        tests=str(len(cells)),
        failures=str(sum(not c.gate_passed for c in cells)),
        errors="0",
        time=f"{float(certification.meta.get('duration_s', 0.0)):.3f}",
    )
    for connector in certification.connectors:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=xml_text(connector.slug),
            tests=str(len(connector.cells)),
            failures=str(sum(not c.gate_passed for c in connector.cells)),
            errors="0",
            skipped=str(sum(c.gate_passed and not c.passed for c in connector.cells)),
        )
        for cell in connector.cells:
            _testcase(suite, cell)
        if view is not None:
            ET.SubElement(suite, "system-out").text = xml_text(_changes(view, connector.slug))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
