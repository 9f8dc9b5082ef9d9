"""专业 ↔ 行业 matching over the reference graph (专业目录, GB/T 4754, our chains and crosswalk).

    index     the reference graph as matching reads it (ReferenceIndex, rebuilt when the store changes)
    vectors   cached embeddings of reference names
    names     comparing 专业 names across levels
    resolve   a user's words → an IndustryQuery (chain, GB/T industry, free words) or 专业; compound names
    signals   what both directions score with: lexical, evidence, rescaling, crosswalk rows, the weights
    forward   行业 → 专业 (score_specialties)
    reverse   专业 → 行业 (score_industries)
    explain   scored candidates → API results with a `reason`, a `why`, evidence and named signals
    reasons   the one-line plain-Chinese `reason` a school's director reads
    schools   schools and the level their 专业 are matched at (the institutions list, else the name)
    service   MatchService: resolve, score, explain; the school gap view
    refresh   SERVES relations written into the graph (run by `chuyi ingest` after the reference load)
    schemas   the request and response models of /api/match/*
    errors    MatchingError and its kinds (HTTP statuses are mapped in search_api/errors.py)

Imports run one way: this package reads graph/ and ingest/, and nothing outside search_api imports it.
"""
