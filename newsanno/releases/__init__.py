"""Releases: versions of the dataset and what changed between them.

:mod:`~newsanno.releases.revisions` reads a corpus snapshot from a git revision,
:mod:`~newsanno.releases.diff` compares two (and the version bump that requires),
:mod:`~newsanno.releases.history` lists the releases the repository records, and
:mod:`~newsanno.releases.release` (arguments checked by :mod:`~newsanno.releases.release_args`)
makes one.  The version itself lives in :mod:`newsanno.version`.
"""
