"""Connector profiles (contracts/connectors/*.yaml): their format, their agreement with the seeds
they were written from, and the loader's refusal of broken ones.

The expectations are parsed from the seed documents (tests/fixtures/seeds), never hard-coded:
the "Supported integrations" lists of seeds 000-002 and the coverage tables of seed 004
(Homerun).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.contract.profiles import profile_schema
from kombo_conformance.errors import ContractError

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "contracts" / "connectors"
SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"
HOMERUN_SEED = SEEDS / "004.txt"


# --------------------------------------------------------------------------- seed parsing

SUPPORT_ACCORDION = re.compile(r'<Accordion title="Supported integrations".*?</Accordion>', re.S)
SUPPORT_ITEM = re.compile(r'<a href="/(\w+)/connectors/([a-z0-9]+)">([^<]+)</a>')
ANY_CONNECTOR_HREF = re.compile(r'href="/\w+/connectors/([a-z0-9]+)"')
FENCED_OPERATION = re.compile(r"^`{3,}yaml ((?:GET|PUT|POST|PATCH|DELETE) /\S*)\s*$", re.M)
TOOL_SLUG = re.compile(r"The tool slug for this connector is `([a-z0-9]+)`")


@dataclass(frozen=True)
class SupportList:
    seed: str
    operation: str
    connectors: dict[str, str]  # slug -> display name, from the list at the top of the page
    slugs_anywhere: frozenset[str]  # every /connectors/<slug> link in the page, YAML part too


@cache
def support_lists() -> tuple[SupportList, ...]:
    """The seeds with a "Supported integrations" list, and the operation each one documents."""
    found = []
    for path in sorted(SEEDS.glob("[0-9][0-9][0-9].txt")):
        text = path.read_text(encoding="utf-8")
        accordion = SUPPORT_ACCORDION.search(text)
        if accordion is None:
            continue
        (operation,) = set(FENCED_OPERATION.findall(text))
        connectors = {m.group(2): m.group(3).strip() for m in SUPPORT_ITEM.finditer(accordion[0])}
        found.append(
            SupportList(
                seed=path.stem,
                operation=operation,
                connectors=connectors,
                slugs_anywhere=frozenset(ANY_CONNECTOR_HREF.findall(text)),
            )
        )
    return tuple(found)


def snake(title: str) -> str:
    """A seed accordion title as a profile key: "Job-specific application stages" ->
    job_specific_application_stages (the convention of contracts/connectors/README.md)."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def _table_cells(block: str) -> list[str]:
    """First cells of a markdown table's body rows, with markdown escapes undone."""
    rows = [line.strip() for line in block.splitlines() if line.strip().startswith("|")]
    return [row.strip("|").split("|")[0].strip().replace("\\_", "_") for row in rows[2:]]


def _normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass
class CoverageSection:
    title: str
    fields: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass
class CoveragePage:
    slug: str
    models: list[CoverageSection]
    actions: list[CoverageSection]
    features: list[str]


@cache
def homerun_page() -> CoveragePage:
    """Seed 004's tabs: models and actions (accordions with a table and maybe a note), and
    the features table."""
    text = HOMERUN_SEED.read_text(encoding="utf-8")
    tabs = dict(re.findall(r'<Tab title="([^"]+)">(.*?)</Tab>', text, re.S))

    def sections(tab: str) -> list[CoverageSection]:
        return [
            CoverageSection(
                title=title,
                fields=_table_cells(body),
                notes=[_normalise(n) for n in re.findall(r"<Note>(.*?)</Note>", body, re.S)],
            )
            for title, body in re.findall(
                r'<Accordion title="([^"]+)">(.*?)</Accordion>', tabs[tab], re.S
            )
        ]

    slug_match = TOOL_SLUG.search(text)
    assert slug_match, "seed 004 names no tool slug"
    return CoveragePage(
        slug=slug_match.group(1),
        models=sections("Models"),
        actions=sections("Actions"),
        features=_table_cells(tabs["Features"]),
    )


def seed_slugs() -> set[str]:
    slugs = {slug for entry in support_lists() for slug in entry.connectors}
    return slugs | {homerun_page().slug}


def raw_profile(slug: str) -> dict[str, Any]:
    return yaml.safe_load((PROFILES / f"{slug}.yaml").read_text(encoding="utf-8"))


def profile_files() -> list[Path]:
    return sorted(PROFILES.glob("*.yaml"))


# --------------------------------------------------------------------------- the seed parser


def test_the_seed_parser_finds_the_three_support_lists() -> None:
    lists = support_lists()
    assert [entry.seed for entry in lists] == ["000", "001", "002"]
    uses = {entry.operation.split()[1].strip("/").split("/")[0] for entry in lists}
    assert uses == {"ats", "assessment", "lms"}
    for entry in lists:
        assert entry.connectors, entry.seed
        # The YAML part repeats the list, with some names split across lines: same slugs.
        assert entry.slugs_anywhere == set(entry.connectors), entry.seed


def test_the_seed_parser_reads_the_homerun_page() -> None:
    page = homerun_page()
    assert page.slug == "homerun"
    assert len(page.models) == 5 and len(page.actions) == 8
    assert all(section.fields for section in page.models + page.actions)
    assert all("\\" not in name for s in page.models + page.actions for name in s.fields)
    assert page.features


# --------------------------------------------------------------------------- format


@pytest.mark.parametrize("path", profile_files(), ids=lambda p: p.stem)
def test_profile_validates_against_the_json_schema(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(profile_schema()).iter_errors(raw), key=str)
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
    assert raw["slug"] == path.stem
    assert raw.get("sources"), "every profile says where its facts come from"


def test_the_project_contracts_load_every_profile(contract: Contract) -> None:
    assert set(contract.profiles) == {path.stem for path in profile_files()}


# --------------------------------------------------------------------------- agreement with seeds


def test_every_connector_in_a_support_list_has_a_profile_with_that_operation(
    contract: Contract,
) -> None:
    problems = []
    for entry in support_lists():
        use_case = entry.operation.split()[1].strip("/").split("/")[0]
        for slug in entry.connectors:
            profile = contract.profiles.get(slug)
            if profile is None:
                problems.append(f"seed {entry.seed}: no profile for {slug}")
            elif not profile.supports(entry.operation):
                problems.append(f"seed {entry.seed}: {slug} lacks {entry.operation}")
            elif use_case not in profile.use_cases:
                problems.append(f"seed {entry.seed}: {slug} lacks use case {use_case}")
    assert not problems


def test_every_connector_named_in_the_seeds_has_a_profile() -> None:
    assert seed_slugs() <= {path.stem for path in profile_files()}


def test_a_profile_not_named_in_the_seeds_cites_a_public_source() -> None:
    for path in profile_files():
        if path.stem not in seed_slugs():
            assert any(s.startswith("https://") for s in raw_profile(path.stem)["sources"])


def test_profile_names_are_a_display_name_from_the_seeds() -> None:
    names: dict[str, set[str]] = {}
    for entry in support_lists():
        for slug, name in entry.connectors.items():
            names.setdefault(slug, set()).add(name)
    for slug, seen in names.items():
        assert raw_profile(slug)["name"] in seen, (slug, seen)


def test_explicit_operations_belong_to_the_profiles_use_cases(contract: Contract) -> None:
    for profile in contract.profiles.values():
        for op in profile.operations:
            assert contract.operations[op].use_case in profile.use_cases, (profile.slug, op)


def test_models_actions_and_quirks_name_supported_operations(contract: Contract) -> None:
    for profile in contract.profiles.values():
        used = [m["operation"] for m in profile.models.values()]
        used += [a["operation"] for a in profile.actions.values()]
        used += [q.operation for q in profile.quirks]
        used += [q.options["fallback_operation"] for q in profile.quirks if q.kind == "fallback"]
        assert set(used) <= profile.operations, profile.slug


def test_sandbox_supports_every_operation(contract: Contract) -> None:
    sandbox = contract.profiles["sandbox"]
    listed_in = {entry.operation for entry in support_lists() if "sandbox" in entry.connectors}
    use_cases = {contract.operations[op].use_case for op in listed_in}
    assert set(sandbox.use_cases) == use_cases == {"ats", "assessment", "lms"}
    assert sandbox.operations == {
        key for key, op in contract.operations.items() if op.use_case in use_cases
    }


# --------------------------------------------------------------------------- Homerun (seed 004)


def _covers(entry: dict[str, Any]) -> set[str]:
    return set(entry["fields"]) | set(entry.get("not_in_contract") or {})


def test_homerun_lists_every_model_and_field_of_seed_004(contract: Contract) -> None:
    page = homerun_page()
    homerun = contract.profiles[page.slug]
    assert set(homerun.models) == {snake(s.title) for s in page.models}
    for section in page.models:
        model = homerun.models[snake(section.title)]
        # Every seed field is listed (as a contract field or as not_in_contract), and no
        # field the seed does not name is claimed.
        assert _covers(model) == set(section.fields), section.title
        assert model["operation"] in homerun.operations


def test_homerun_lists_every_action_and_input_field_of_seed_004(contract: Contract) -> None:
    page = homerun_page()
    homerun = contract.profiles[page.slug]
    assert set(homerun.actions) == {snake(s.title) for s in page.actions}
    for section in page.actions:
        action = homerun.actions[snake(section.title)]
        params = set(contract.operations[action["operation"]].conventions.path_parameters)
        covered = _covers(action)
        assert set(section.fields) <= covered, section.title
        # Beyond the seed's names, only the operation's path parameters may be added.
        assert covered - set(section.fields) <= params, section.title
        assert action["operation"] in homerun.operations


def test_homerun_quirks_carry_the_notes_of_seed_004(contract: Contract) -> None:
    page = homerun_page()
    homerun = contract.profiles[page.slug]
    for section in page.actions:
        operation = homerun.actions[snake(section.title)]["operation"]
        descriptions = {_normalise(q.description) for q in homerun.quirks_of(operation)}
        for note in section.notes:
            assert note in descriptions, (section.title, note)
    assert len(homerun.quirks) == sum(len(s.notes) for s in page.actions)


def test_homerun_quirk_details(contract: Contract) -> None:
    homerun = contract.profiles["homerun"]
    stage = homerun.actions[snake("Move application to stage")]["operation"]
    (refusal,) = homerun.quirks_of(stage, "refuse-stage")
    assert refusal.options["stage_name"] == "New"
    assert refusal.options["stage_name"] in refusal.description
    assert refusal.options["error_code"] == "REMOTE.INPUT_INVALID"

    to_application = homerun.actions[snake("Add attachment to application")]["operation"]
    to_candidate = homerun.actions[snake("Add attachment to candidate")]["operation"]
    (fallback,) = homerun.quirks_of(to_application, "fallback")
    assert fallback.options["fallback_operation"] == to_candidate
    assert fallback.options["warning"].strip()


def test_homerun_notes_record_the_features_tab() -> None:
    page = homerun_page()
    notes = raw_profile(page.slug)["notes"]
    for feature in page.features:
        assert feature in notes, feature


def test_homerun_nested_stages_point_at_the_jobs_stages(contract: Contract) -> None:
    homerun = contract.profiles["homerun"]
    nested = [m for m in homerun.models.values() if m.get("items")]
    assert nested and all(m["operation"] == "GET /ats/jobs" for m in nested)
    assert {m["items"] for m in nested} == {"stages"}


# --------------------------------------------------------------------------- the loader refuses


def _load_error(contracts: Path) -> ContractError:
    # validate=False: the OpenAPI documents are an unmodified copy; profiles are cross-checked
    # either way, and skipping example validation keeps each case a few seconds faster.
    with pytest.raises(ContractError) as info:
        load_contract([contracts], validate=False)
    return info.value


def _write(contracts: Path, name: str, document: Any) -> Path:
    target = contracts / "connectors" / name
    text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False)
    target.write_text(text, encoding="utf-8")
    return target


def _field_index(doc: dict[str, Any], section: str, key: str, name: str) -> int:
    return doc[section][key]["fields"].index(name)


def test_rejects_an_unknown_operation(contracts_copy: Path) -> None:
    doc = raw_profile("workday")
    doc["operations"].insert(1, "DELETE /ats/jobs")
    target = _write(contracts_copy, "workday.yaml", doc)
    error = _load_error(contracts_copy)
    assert error.source == str(target)
    assert error.pointer == "/operations/1"
    assert "unknown operation 'DELETE /ats/jobs'" in error.reason


def test_rejects_an_unknown_quirk_fallback_operation(contracts_copy: Path) -> None:
    doc = raw_profile("homerun")
    doc["quirks"][1]["fallback_operation"] = "POST /ats/candidates/{candidate_id}/files"
    target = _write(contracts_copy, "homerun.yaml", doc)
    error = _load_error(contracts_copy)
    assert (error.source, error.pointer) == (str(target), "/quirks/1/fallback_operation")


def test_rejects_an_unknown_model_field(contracts_copy: Path) -> None:
    # Seed 004's spelling drift a profile author could fall for: email_address vs the
    # contract's email_addresses.
    doc = raw_profile("homerun")
    index = _field_index(doc, "models", "candidates", "email_addresses")
    doc["models"]["candidates"]["fields"][index] = "email_address"
    target = _write(contracts_copy, "homerun.yaml", doc)
    error = _load_error(contracts_copy)
    assert error.source == str(target)
    assert error.pointer == f"/models/candidates/fields/{index}"
    assert "'email_address'" in error.reason


def test_rejects_an_unknown_nested_items_path(contracts_copy: Path) -> None:
    doc = raw_profile("homerun")
    doc["models"]["job_specific_application_stages"]["items"] = "job_stages"
    target = _write(contracts_copy, "homerun.yaml", doc)
    error = _load_error(contracts_copy)
    assert (error.source, error.pointer) == (
        str(target),
        "/models/job_specific_application_stages/items",
    )


def test_rejects_an_unknown_action_input_field(contracts_copy: Path) -> None:
    # "application.job_id" is in the create-candidate body but not in create-application's.
    doc = raw_profile("homerun")
    doc["actions"]["create_application"]["fields"].append("application.job_id")
    index = len(doc["actions"]["create_application"]["fields"]) - 1
    target = _write(contracts_copy, "homerun.yaml", doc)
    error = _load_error(contracts_copy)
    assert error.source == str(target)
    assert error.pointer == f"/actions/create_application/fields/{index}"
    assert "'application.job_id'" in error.reason


def test_rejects_a_slug_that_is_not_the_file_name(contracts_copy: Path) -> None:
    doc = raw_profile("lever")
    target = _write(contracts_copy, "lever2.yaml", doc)
    error = _load_error(contracts_copy)
    assert (error.source, error.pointer) == (str(target), "/slug")
    assert "'lever'" in error.reason and "'lever2'" in error.reason


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        pytest.param(lambda d: d.update(use_cases=["hris"]), "/use_cases/0", id="bad-use-case"),
        pytest.param(lambda d: d.pop("operations"), "/", id="missing-operations"),
        pytest.param(lambda d: d.update(colour="blue"), "/", id="unknown-key"),
    ],
)
def test_rejects_a_bad_format(contracts_copy: Path, change: Any, pointer: str) -> None:
    doc = raw_profile("moodle")
    change(doc)
    target = _write(contracts_copy, "moodle.yaml", doc)
    error = _load_error(contracts_copy)
    assert (error.source, error.pointer) == (str(target), pointer)


def test_rejects_a_profile_that_is_not_yaml(contracts_copy: Path) -> None:
    target = _write(contracts_copy, "gem.yaml", "slug: gem\noperations: [GET /ats/jobs\n")
    error = _load_error(contracts_copy)
    assert (error.source, error.pointer) == (str(target), "/")
    assert "invalid YAML" in error.reason


# Format rules that need no contract: checked against the JSON Schema alone (fast).
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d["quirks"][0].pop("error_code"), id="refusal-without-code"),
        pytest.param(lambda d: d["quirks"][1].pop("warning"), id="fallback-without-warning"),
        pytest.param(lambda d: d["quirks"][0].update(kind="retry"), id="unknown-quirk-kind"),
        pytest.param(lambda d: d.update(operations="some"), id="operations-not-all-or-list"),
        pytest.param(lambda d: d["operations"].append("fetch jobs"), id="operation-syntax"),
        pytest.param(lambda d: d.update(slug="Home-Run"), id="slug-syntax"),
        pytest.param(lambda d: d["models"]["jobs"].pop("operation"), id="model-no-operation"),
    ],
)
def test_the_schema_refuses(change: Any) -> None:
    doc = raw_profile("homerun")
    assert Draft202012Validator(profile_schema()).is_valid(doc)
    change(doc)
    assert not Draft202012Validator(profile_schema()).is_valid(doc)
