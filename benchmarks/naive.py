"""The baseline a user would write first: jsonschema per document, spaCy tokens, datasets' Parquet writer.

``python benchmarks/naive.py RAW OUT``: one process, every row held in memory, then
``datasets.Dataset.from_list(rows).to_parquet(...)`` per config and split.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsanno import rows, schema  # noqa: E402
from newsanno.model import Document  # noqa: E402
from newsanno.rows import configs  # noqa: E402
from newsanno.tokens import tokenize  # noqa: E402


def main(raw: Path, out: Path) -> None:
    import datasets

    validators = {
        name: jsonschema.Draft202012Validator(schema.load(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for name in (schema.DOCUMENT, schema.ANNOTATIONS)
    }
    tables: dict[tuple[str, str], list[rows.Row]] = {}
    for folder in sorted(raw.iterdir()):
        meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
        ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
        validators[schema.DOCUMENT].validate(meta)
        validators[schema.ANNOTATIONS].validate(ann)
        text = (folder / "text.txt").read_text(encoding="utf-8")
        doc = Document(meta=meta, text=text, annotations=ann, origin=str(folder))
        per_config, problems = configs.build_rows(doc, tokenize(text))
        assert not problems
        for config, found in per_config.items():
            tables.setdefault((config, meta["split"]), []).extend(found)
    for (config, split), found in sorted(tables.items()):
        if found:
            path = out / "data" / config / f"{split}-00000-of-00001.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            datasets.Dataset.from_list(found).to_parquet(str(path))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
