"""``kombo-conformance lint`` and ``diff`` end to end: exit codes, reports, terminal lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from kombo_conformance.cli import main

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"
CORPUS = Path(__file__).parent / "corpus"


def test_lint_seed_fails_on_the_completed_at_pattern(tmp_path, capsys):
    code = main(["lint", str(SEEDS / "001.openapi.yaml"), "--report-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "error pattern_format_disagreement /components/schemas/" in out
    assert "advisory prose_only_rule" in out
    assert {"report.json", "junit.xml", "summary.md"} <= {p.name for p in tmp_path.iterdir()}
    report = json.loads((tmp_path / "report.json").read_text())
    assert "pattern_format_disagreement" in json.dumps(report)


def test_lint_project_contracts_passes_and_lists_suppressions(tmp_path, capsys):
    args = ["lint", "--capability", str(SEEDS / "003.txt"), "--report-dir", str(tmp_path)]
    code = main(args)
    out = capsys.readouterr().out
    assert code == 0
    assert "suppressed pattern_format_disagreement" not in out  # counted, not listed
    assert "advisory capability_truncated" in out
    assert re.search(r"; [1-9]\d* suppressed$", out.splitlines()[-2])  # the counts line
    report = json.loads((tmp_path / "report.json").read_text())
    assert any(f["check"] == "pattern_format_disagreement" for f in report["findings"])
    assert main([*args, "--verbose"]) == 0
    assert "suppressed pattern_format_disagreement" in capsys.readouterr().out


def test_strict_fails_on_warnings_but_not_on_declared_errata(tmp_path, sound_document):
    doc = tmp_path / "doc.yaml"
    del sound_document["paths"]["/ats/jobs/{job_id}/notes"]["post"]["requestBody"]["required"]
    doc.write_text(yaml.safe_dump(sound_document))
    assert main(["lint", str(doc), "--report-dir", str(tmp_path / "r1")]) == 0
    assert main(["lint", str(doc), "--strict", "--report-dir", str(tmp_path / "r2")]) == 1


def test_suppressions_need_review_fields(tmp_path, capsys):
    bad = tmp_path / "lint.yaml"
    bad.write_text("suppressions:\n  - rule: vacuous_status_codes\n    pointer: /paths/*\n")
    code = main(["lint", str(SEEDS / "000.openapi.yaml"), "--suppressions", str(bad)])
    assert code == 2
    assert "needs reason, reviewer, date" in capsys.readouterr().err


def test_unused_suppression_is_reported(tmp_path, capsys):
    entry = {"rule": "vacuous_status_codes", "pointer": "/paths/~1nowhere/*",
             "reason": "r", "reviewer": "me", "date": "2026-01-01"}  # fmt: skip
    supp = tmp_path / "lint.yaml"
    supp.write_text(yaml.safe_dump({"suppressions": [entry]}))
    main(["lint", str(SEEDS / "000.openapi.yaml"), "--suppressions", str(supp),
          "--report-dir", str(tmp_path / "r")])  # fmt: skip
    assert "warning unused_suppression /suppressions/0" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["lint", "{tmp}/missing.yaml"],
        ["lint", "{tmp}/broken.yaml"],
        ["lint", str(SEEDS / "000.openapi.yaml"), "--capability", "{tmp}/missing.txt"],
        ["diff", "{tmp}/broken.yaml", str(CORPUS / "reordered" / "old.yaml")],
    ],
)
def test_bad_input_exits_2_with_one_paragraph(tmp_path, capsys, argv):
    (tmp_path / "broken.yaml").write_text("openapi: 3.1.0\npaths: [\n")
    code = main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("kombo-conformance ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_diff_exit_codes(tmp_path, capsys):
    case = CORPUS / "response_enum_widened"
    assert main(["diff", str(case / "old.yaml"), str(case / "new.yaml"),
                 "--report-dir", str(tmp_path / "a")]) == 1  # fmt: skip
    assert "error response_enum_values_added" in capsys.readouterr().out
    case = CORPUS / "optional_response_field_added"
    assert main(["diff", str(case / "old.yaml"), str(case / "new.yaml"),
                 "--report-dir", str(tmp_path / "b")]) == 0  # fmt: skip
    assert (tmp_path / "b" / "junit.xml").is_file()


def test_diff_fail_on_potential(tmp_path):
    case = CORPUS / "error_codes_changed"  # potentially breaking changes only
    argv = ["diff", str(case / "old.yaml"), str(case / "new.yaml")]
    assert main([*argv, "--report-dir", str(tmp_path / "a")]) == 0
    assert main([*argv, "--fail-on", "potential", "--report-dir", str(tmp_path / "b")]) == 1
