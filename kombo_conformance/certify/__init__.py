"""Connector certification and the CI regression gate (``kombo-conformance certify``).

- :mod:`.matrix` classifies each connector x operation cell and gives each connector a
  verdict; :mod:`.coverage` measures the field coverage of the profiles' models;
  :mod:`.declared` judges each connector's own declaration (claimed vs verified);
- :mod:`.collect` runs the engine live (:mod:`.from_cassettes`: from recordings) and builds
  the rows; :mod:`.result` holds the whole certification and its exit code;
- :mod:`.baseline` reads, applies and rewrites the accepted findings; :mod:`.shard` and
  :mod:`.merge` split and recombine a certification across CI machines;
- ``certification_{html,md,json,junit}`` render the reports, :mod:`.write` writes them.

See docs/certification.md.
"""
