"""The sandbox: a reference Kombo server driven by the contracts (see docs/sandbox.md)."""

from kombo_conformance.sandbox.app import DEFAULT_API_KEY, create_app
from kombo_conformance.sandbox.faults import Fault, Faults, catalogue
from kombo_conformance.sandbox.realistic import Realism
from kombo_conformance.sandbox.server import running_sandbox, serve

__all__ = [
    "DEFAULT_API_KEY",
    "Fault",
    "Faults",
    "Realism",
    "catalogue",
    "create_app",
    "running_sandbox",
    "serve",
]
