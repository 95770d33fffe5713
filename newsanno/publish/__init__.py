"""Publishing: what the dataset folder carries beside its Parquet files.

:mod:`~newsanno.publish.card` (the generated card, with :mod:`~newsanno.publish.card_process` for how
the data was made and :mod:`~newsanno.publish.agreement_summary` for the agreement figures),
:mod:`~newsanno.publish.croissant` (croissant.json), :mod:`~newsanno.publish.charts` (PNG charts of
:mod:`~newsanno.publish.stats`, counted with :mod:`~newsanno.publish.tally`),
:mod:`~newsanno.publish.checksums` (SHA256SUMS) and :mod:`~newsanno.publish.licenses`.
Pure functions of statistics and configs; :mod:`newsanno.builder.writers` writes their output.
"""
