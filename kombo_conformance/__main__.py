from kombo_conformance.cli import entry

entry()
