"""Converters between annotations.json and the formats annotators and trainers use.

Each module is pure: values in, values and :class:`newsanno.problems.Problem` lists out.
Reading and writing files is the job of ``newsanno.cli.importer`` and ``newsanno.cli.exporter``.
"""
