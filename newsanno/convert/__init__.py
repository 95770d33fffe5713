"""Converters between annotations.json and the formats annotators and trainers use.

Each module is pure: values in, values and :class:`newsanno.problems.Problem` lists out.
Format modules (``brat``; ``labelstudio`` with ``labelstudio_tasks`` and ``labelstudio_entities``;
``labelstudio_export``) only map their format to and from the neutral :mod:`~newsanno.convert.record`; :mod:`~newsanno.convert.assemble` turns a record into
annotations (union-find, entities, ids) for every importer.
Reading and writing files is the job of ``newsanno.convert.importing`` and ``newsanno.convert.export``
(with ``newsanno.convert.labelstudio_project``, the Label Studio project folder).
"""
