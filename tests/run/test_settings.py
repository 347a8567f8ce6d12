"""Settings: flags win over environment variables, which win over the config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kombo_conformance.errors import UsageError
from kombo_conformance.settings import resolve_settings


def test_defaults_without_any_source(tmp_path: Path) -> None:
    settings = resolve_settings({}, environ={}, directory=tmp_path)
    assert settings.uses_sandbox
    assert settings.max_examples == 10 and settings.seed == 0 and settings.timeout == 10.0


def test_precedence_flag_over_environment_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.kombo-conformance]\nmax-examples = 3\nseed = 7\ntimeout = 4.5\n"
        "connectors = ['homerun', 'workday']\n"
    )
    env = {"KOMBO_SEED": "11", "KOMBO_MAX_EXAMPLES": "5"}
    settings = resolve_settings({"max_examples": 9}, environ=env, directory=tmp_path)
    assert settings.max_examples == 9  # flag
    assert settings.seed == 11  # environment
    assert settings.timeout == 4.5  # config file
    assert settings.connectors == ("homerun", "workday")


def test_kombo_conformance_toml_is_read_first(tmp_path: Path) -> None:
    (tmp_path / "kombo-conformance.toml").write_text("seed = 42\n")
    (tmp_path / "pyproject.toml").write_text("[tool.kombo-conformance]\nseed = 1\n")
    assert resolve_settings({}, environ={}, directory=tmp_path).seed == 42


def test_api_key_falls_back_to_the_environment(tmp_path: Path) -> None:
    settings = resolve_settings(
        {"base_url": "https://api.example.test/v1"},
        environ={"KOMBO_API_KEY": "from-env"},
        directory=tmp_path,
    )
    assert settings.api_key == "from-env" and not settings.uses_sandbox


def test_integration_ids_in_both_spellings(tmp_path: Path) -> None:
    settings = resolve_settings(
        {"integration_ids": ["homerun:abc", "workday=workday:xyz", "4XyBare"]},
        environ={},
        directory=tmp_path,
    )
    assert settings.integration_ids == {
        "homerun": "homerun:abc",
        "workday": "workday:xyz",
        "4XyBare": "4XyBare",  # a bare id: the target's GET /integrations names its connector
    }


def test_a_lone_bare_id_goes_with_a_lone_connector(tmp_path: Path) -> None:
    flags = {"connectors": ["homerun"], "integration_ids": ["4XyBare"]}
    settings = resolve_settings(flags, environ={}, directory=tmp_path)
    assert settings.integration_ids == {"homerun": "4XyBare"}


@pytest.mark.parametrize(
    ("flags", "environ", "message"),
    [
        ({"max_examples": 0}, {}, "--max-examples must be at least 1"),
        (
            {"connectors": ["workday"], "integration_ids": ["homerun:1"]},
            {},
            r"--integration-id homerun:1 belongs to no --connector \(workday\)",
        ),
        (
            {"connectors": ["homerun", "workday"], "integration_ids": ["4XyBare"]},
            {},
            "belongs to no --connector",
        ),
        ({"base_url": "ftp://x"}, {"KOMBO_API_KEY": "k"}, "must start with http:// or https://"),
        ({"base_url": "https://x.test/v1"}, {}, "an API key is needed"),
        ({"integration_ids": [":abc"]}, {}, "is incomplete: use <connector>:<id>"),
        ({"seed": "abc"}, {}, "is not a valid"),
        (
            {"base_url": "https://x.test/v1", "faults": ["slow"]},
            {"KOMBO_API_KEY": "k"},
            "--fault only applies to the embedded sandbox",
        ),
    ],
)
def test_bad_settings_are_usage_errors(
    tmp_path: Path, flags: dict, environ: dict, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        resolve_settings(flags, environ=environ, directory=tmp_path)


def test_unknown_config_key_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.kombo-conformance]\nmax-exampels = 3\n")
    with pytest.raises(UsageError, match=r"unknown setting 'max-exampels' in .*pyproject.toml"):
        resolve_settings({}, environ={}, directory=tmp_path)


def test_broken_config_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "kombo-conformance.toml").write_text("seed = = 3\n")
    with pytest.raises(UsageError, match="cannot be read"):
        resolve_settings({}, environ={}, directory=tmp_path)
