"""One short, runnable training snippet per config: the card's "How to use for training" section.

Each snippet loads its config with ``datasets.load_dataset`` from :data:`PLACEHOLDER` (the
Hub id or a local folder); the tests run every snippet of the generated card against a built
folder, so a snippet that stops working fails the build's tests, not a user.
"""

from __future__ import annotations

PLACEHOLDER = "path/or/hub-id"

DOCUMENTS = """\
from datasets import load_dataset

docs = load_dataset("path/or/hub-id", "documents", split="train")
for doc in docs:
    for layer in ("mentions", "quotes", "claims"):
        for span in doc[layer]:  # offsets are code points into doc["text"], end exclusive
            assert doc["text"][span["start"] : span["end"]] == span["text"]
"""

MENTIONS = """\
from collections import Counter

from datasets import load_dataset

mentions = load_dataset("path/or/hub-id", "mentions", split="train")
chains = {}  # coreference chains: the mentions of each entity, in text order
for m in mentions:
    chains.setdefault((m["document_id"], m["entity_id"]), []).append(m["text"])
print(len(chains), "entities;", Counter(mentions["label"]).most_common(3))
"""

QUOTES = """\
from datasets import load_dataset

quotes = load_dataset("path/or/hub-id", "quotes", split="train")
# (content, cue, speaker) triples for attribution; a quote without a named source has speaker_name None.
triples = [(q["text"], q["cue_text"], q["speaker_name"]) for q in quotes]
print(sum(s is not None for _, _, s in triples), "of", len(triples), "quotes have a named speaker")
"""

CLAIMS = """\
from datasets import load_dataset

claims = load_dataset("path/or/hub-id", "claims", split="train")
texts, check_worthy = claims["text"], [c == "CFS" for c in claims["checkworthiness"]]
print(f"{sum(check_worthy)} of {len(texts)} claims are check-worthy")
"""

NER = """\
import spacy
from datasets import load_dataset
from spacy.tokens import Doc
from spacy.training import Example, iob_to_biluo

ner = load_dataset("path/or/hub-id", "ner", split="train")
names = ner.features["ner_tags"].feature.names
nlp = spacy.blank("en")
examples = []
for row in ner:
    doc = Doc(nlp.vocab, words=row["tokens"], spaces=row["spaces"])
    assert doc.text == row["text"]  # the sentence, rebuilt exactly
    tags = iob_to_biluo([names[t] for t in row["ner_tags"]])
    examples.append(Example.from_dict(doc, {"entities": tags}))
nlp.add_pipe("ner")
optimizer = nlp.initialize(lambda: examples)
for _ in range(2):
    nlp.update(examples, sgd=optimizer)
print(nlp.evaluate(examples)["ents_f"])
"""

COREF = """\
import json

from datasets import load_dataset

coref = load_dataset("path/or/hub-id", "coref", split="train")
for row in coref:
    tokens = [token for sentence in row["sentences"] for token in sentence]
    for name, spans in zip(row["cluster_names"], row["clusters"]):
        mentions = [" ".join(tokens[first : last + 1]) for first, last in spans]  # inclusive ends
    # One line of the e2e-coref / CoNLL-2012 jsonlines format:
    line = json.dumps({"doc_key": row["document_id"], "sentences": row["sentences"], "clusters": row["clusters"]})
"""

CLAIM_SENTENCES = """\
from collections import Counter

from datasets import load_dataset

sentences = load_dataset("path/or/hub-id", "claim_sentences")
names = sentences["train"].features["label"].names  # NFS, UFS, CFS
majority = Counter(sentences["train"]["label"]).most_common(1)[0][0]
test = sentences["test"] if "test" in sentences else sentences["train"]
accuracy = sum(label == majority for label in test["label"]) / len(test)
print(f"majority-class baseline ({names[majority]}): accuracy {accuracy:.2f}")
"""

ATTRIBUTION = """\
from datasets import load_dataset

attribution = load_dataset("path/or/hub-id", "attribution", split="train")
names = attribution.features["tags"].feature.feature.names


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


for row in attribution:
    for quote_id, tags in zip(row["quote_ids"], row["tags"]):  # one tag sequence per quote
        for role, first, last in spans([names[t] for t in tags]):
            print(quote_id, role, " ".join(row["tokens"][first : last + 1]))
"""
