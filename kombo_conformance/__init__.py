"""kombo-conformance: contract testing and spec conformance for the Kombo unified API."""

__version__ = "0.1.0"
