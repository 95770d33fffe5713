"""One short, runnable training snippet per config: the card's "How to use for training" section.

Each snippet loads its config with ``datasets.load_dataset`` from :data:`PLACEHOLDER` (the
Hub id or a local folder), learns from ``train`` only and scores on ``validation`` (``test``
is left for the final evaluation), and asserts what it demonstrates; the tests run every
snippet of the generated card against a built folder with all three splits, so a snippet
that stops working fails the build's tests, not a user.
"""

from __future__ import annotations

PLACEHOLDER = "path/or/hub-id"

DOCUMENTS = """\
from datasets import load_dataset

docs = load_dataset("path/or/hub-id", "documents")  # train, validation, test: whole documents
ids = {split: set(docs[split]["document_id"]) for split in docs}
assert not ids["train"] & ids["validation"]  # a document is in one split only
for doc in docs["train"]:
    for layer in ("mentions", "quotes", "claims"):
        for span in doc[layer]:  # offsets are code points into doc["text"], end exclusive
            assert doc["text"][span["start"] : span["end"]] == span["text"]
print(len(ids["train"]), "train and", len(ids["validation"]), "validation documents")
"""

MENTIONS = """\
from collections import Counter

from datasets import load_dataset

mentions = load_dataset("path/or/hub-id", "mentions")
train, validation = mentions["train"], mentions["validation"]
chains = {}  # coreference chains: the mentions of each entity, in text order
for m in train:
    chains.setdefault((m["document_id"], m["entity_id"]), []).append(m["text"])
# A lookup baseline learnt on train: each mention text's most frequent label, scored on validation.
seen = {}
for m in train:
    seen.setdefault(m["text"], Counter())[m["label"]] += 1
known = [m for m in validation if m["text"] in seen]
accuracy = sum(seen[m["text"]].most_common(1)[0][0] == m["label"] for m in known) / max(len(known), 1)
assert all(chains.values()) and 0.0 <= accuracy <= 1.0
print(len(chains), "train entities; lookup label accuracy on validation:", round(accuracy, 2))
"""

QUOTES = """\
from datasets import load_dataset

quotes = load_dataset("path/or/hub-id", "quotes")
train, validation = quotes["train"], quotes["validation"]
# (content, cue, speaker) triples for attribution; a quote without a named source has speaker_name None.
triples = [(q["text"], q["cue_text"], q["speaker_name"]) for q in train]
# A cue lexicon learnt on train, scored on validation: the share of its cues the lexicon knows.
lexicon = {cue.lower() for _, cue, _ in triples if cue}
cues = [q["cue_text"].lower() for q in validation if q["cue_text"]]
coverage = sum(cue in lexicon for cue in cues) / max(len(cues), 1)
assert 0.0 <= coverage <= 1.0
print(len(lexicon), "cues learnt on train cover", round(coverage, 2), "of the validation cues")
"""

CLAIMS = """\
from collections import Counter

from datasets import load_dataset

claims = load_dataset("path/or/hub-id", "claims")
train, validation = claims["train"], claims["validation"]
# The majority class of train, scored on validation: the floor a check-worthiness model must beat.
majority = Counter(train["checkworthiness"]).most_common(1)[0][0]
accuracy = sum(c == majority for c in validation["checkworthiness"]) / len(validation)
assert majority in ("CFS", "UFS") and 0.0 <= accuracy <= 1.0
print(f"majority class {majority}: accuracy {accuracy:.2f} on {len(validation)} validation claims")
"""

NER = """\
import spacy
from datasets import load_dataset
from spacy.tokens import Doc
from spacy.training import Example, iob_to_biluo

ner = load_dataset("path/or/hub-id", "ner")
names = ner["train"].features["ner_tags"].feature.names
nlp = spacy.blank("en")


def examples(split):
    found = []
    for row in ner[split]:
        doc = Doc(nlp.vocab, words=row["tokens"], spaces=row["spaces"])
        assert doc.text == row["text"]  # the sentence, rebuilt exactly
        tags = iob_to_biluo([names[t] for t in row["ner_tags"]])
        found.append(Example.from_dict(doc, {"entities": tags}))
    return found


train, validation = examples("train"), examples("validation")
nlp.add_pipe("ner")
optimizer = nlp.initialize(lambda: train)
for _ in range(2):
    nlp.update(train, sgd=optimizer)
scores = nlp.evaluate(validation)  # documents the model never saw
assert not set(ner["train"]["document_id"]) & set(ner["validation"]["document_id"])
assert 0.0 <= (scores["ents_f"] or 0.0) <= 1.0
print("validation entity F1:", scores["ents_f"])
"""

COREF = """\
import json

from datasets import load_dataset

coref = load_dataset("path/or/hub-id", "coref")
# One e2e-coref / CoNLL-2012 jsonlines file per split: train on the first, score on the second.
for split in ("train", "validation"):
    lines = []
    for row in coref[split]:
        tokens = [token for sentence in row["sentences"] for token in sentence]
        for name, spans in zip(row["cluster_names"], row["clusters"]):
            mentions = [" ".join(tokens[first : last + 1]) for first, last in spans]  # inclusive ends
            assert mentions and all(0 <= first <= last < len(tokens) for first, last in spans), name
        lines.append(json.dumps({"doc_key": row["document_id"], "sentences": row["sentences"], "clusters": row["clusters"]}))
    print(split, len(lines), "documents")
"""

CLAIM_SENTENCES = """\
from collections import Counter

from datasets import load_dataset

sentences = load_dataset("path/or/hub-id", "claim_sentences")
train, validation = sentences["train"], sentences["validation"]
names = train.features["label"].names  # NFS, UFS, CFS
majority = Counter(train["label"]).most_common(1)[0][0]  # learnt on train only
accuracy = sum(label == majority for label in validation["label"]) / len(validation)
assert names[majority] in names and 0.0 <= accuracy <= 1.0
print(f"majority-class baseline ({names[majority]}): validation accuracy {accuracy:.2f}")
"""

ATTRIBUTION = """\
from datasets import load_dataset

attribution = load_dataset("path/or/hub-id", "attribution")
names = attribution["train"].features["tags"].feature.feature.names


def spans(tags):
    # BIO names -> (role, first, last); a sentence may open with I-: the role continues from the sentence before.
    found = []
    for k, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, role = tag.split("-", 1)
        if prefix == "B" or not found or found[-1][0] != role or found[-1][2] != k - 1:
            found.append([role, k, k])
        else:
            found[-1][2] = k
    return found


def cue_words(split):
    # The words tagged CUE in a split: a cue lexicon, the first feature of an attribution tagger.
    words = set()
    for row in attribution[split]:
        for tags in row["tags"]:  # one tag sequence per quote
            for role, first, last in spans([names[t] for t in tags]):
                if role == "CUE":
                    words.add(" ".join(row["tokens"][first : last + 1]).lower())
    return words


learnt, wanted = cue_words("train"), cue_words("validation")
recall = len(learnt & wanted) / max(len(wanted), 1)  # validation cues the train lexicon knows
assert all(role in ("SOURCE", "CUE", "CONTENT") for role in {n.split("-", 1)[-1] for n in names if n != "O"})
assert 0.0 <= recall <= 1.0
print(len(learnt), "train cues; validation cue recall", round(recall, 2))
"""
