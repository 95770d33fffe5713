"""Review: what people read and decide before annotations become gold.

The HTML review page (:mod:`~newsanno.review.render`, one document; :mod:`~newsanno.review.pages`,
a corpus's pages, the work of ``newsanno render``), inter-annotator agreement
(:mod:`~newsanno.review.agreement`, with :mod:`~newsanno.review.agreement_files` reading the two
files) and adjudication (:mod:`~newsanno.review.adjudicate`: disagreements as items and the record;
:mod:`~newsanno.review.adjudication_merge`: a decided record -> one annotation;
:mod:`~newsanno.review.adjudication_view`: the page's open items).
"""
