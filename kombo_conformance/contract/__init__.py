"""Contracts: load, bundle, resolve and validate OpenAPI documents and connector profiles,
and recognise Kombo's conventions in them."""

from kombo_conformance.contract.conventions import Conventions, ErrorEnvelope
from kombo_conformance.contract.errata import Errata, Erratum
from kombo_conformance.contract.loader import default_contract_dir, load_contract
from kombo_conformance.contract.model import Contract, Operation
from kombo_conformance.contract.profiles import ConnectorProfile, Quirk

__all__ = [
    "ConnectorProfile",
    "Contract",
    "Conventions",
    "Errata",
    "Erratum",
    "ErrorEnvelope",
    "Operation",
    "Quirk",
    "default_contract_dir",
    "load_contract",
]
