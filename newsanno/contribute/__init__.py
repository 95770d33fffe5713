"""Contributor tools: the commands a contributor runs on a document folder.

:mod:`~newsanno.contribute.add` (a received article -> ``raw/<id>/``),
:mod:`~newsanno.contribute.suggest` (machine proposals into ``suggestions.json``),
:mod:`~newsanno.contribute.accept` (reviewed proposals -> ``annotations.json``),
:mod:`~newsanno.contribute.fixoffsets` (offsets repaired from span texts) and
:mod:`~newsanno.contribute.formatting` (the canonical JSON form).
"""
