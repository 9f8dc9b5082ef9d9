"""Measure when ask should refuse (prints a table, changes nothing).

    .venv/bin/python scripts/eval_refusal.py [--data DIR] [--grid]

Ingests the seed plus the 22 laws (../shared/data/lawrefbook-laws) into an embedded store (or reuses
--data DIR), then asks every question of ../shared/eval/library_dev.json and our held-out
tests/api/data/library_heldout_qa.json — answerable (`ask`) and unanswerable — plus the seed's ask
questions, with the support check switched off, and records for each extractive answer the support
features (search_api.ask.support: coverage of the question's weighted words, meaning of the answer
sentence, places the evidence does not speak for). Then for each threshold pair it prints the refusal
precision (refused unanswerable / all refused) and recall (refused unanswerable / all unanswerable), and
how many answerable questions would be refused. Graph and reference answers do not depend on the
thresholds (a structural reference that is not there is always refused), so they count as they come out.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.embedded import EmbeddedStore  # noqa: E402
from ingest.embedding import SentenceTransformerEmbedder  # noqa: E402
from search_api.ask.support import Evidence, Support, SupportPolicy  # noqa: E402
from search_api.services import Services  # noqa: E402
from search_api.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = {
    "dev": SHARED / "eval" / "library_dev.json",
    "heldout": ROOT / "tests" / "api" / "data" / "library_heldout_qa.json",
    "seed": SHARED / "eval" / "seed_dev_qa.json",
    "seed+": ROOT / "tests" / "api" / "data" / "seed_extra_qa.json",
}


class _Answer(SupportPolicy):
    """The support check off: every extractive answer is given, so its features can be recorded."""

    def supported(self, support: Support) -> bool:
        return True


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None, help="an embedded store folder to reuse (filled when empty)")
    ap.add_argument("--model", default=str(ROOT / "models" / "bge-small-zh-v1.5"))
    ap.add_argument("--laws", default=str(SHARED / "data" / "lawrefbook-laws"))
    ap.add_argument("--grid", action="store_true", help="print every threshold pair")
    args = ap.parse_args()

    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="chuyi-refusal-"))
    store = EmbeddedStore(data)
    store.start()
    embedder = SentenceTransformerEmbedder(args.model)
    embedder.start()
    settings = Settings(data_dir=data, corpus_dir=ROOT / "corpora", embedding_model=args.model)
    services = Services.create(settings, store, embedder)
    if store.stats().nodes.get("Passage", 0) == 0:
        services.ingest_pipeline(progress=False).ingest_paths([ROOT / "corpora", Path(args.laws)])
    services.ingest_pipeline().prepare()
    services.ask.gazetteer.refresh()
    policy = SupportPolicy()
    judge = services.ask.support
    judge.policy = _Answer()

    rows: list[dict[str, Any]] = []
    for name, path in SETS.items():
        if not path.exists():
            continue
        qa = json.loads(path.read_text("utf-8"))
        items = [(it, True) for it in qa.get("ask", [])] + [(it, False) for it in qa.get("unanswerable", [])]
        for item, answerable in items:
            r = services.ask.ask(item["q"])
            row: dict[str, Any] = {"set": name, "id": item["id"], "answerable": answerable, "mode": r.mode}
            if r.mode == "extractive" and r.intent != "reference":
                evidence = [Evidence(title=c.document_title, text=c.text) for c in r.citations]
                s = judge.assess(item["q"], evidence, services.ask.meaning(item["q"], r.answer))
                row.update(
                    coverage=s.coverage, meaning=s.meaning, places=s.places, missing=s.missing, focus_held=s.focus_held
                )
            rows.append(row)

    def refused(row: dict[str, Any], cfg: SupportPolicy) -> bool:
        if "coverage" not in row:
            return bool(row["mode"] == "none")
        support = Support(
            coverage=row["coverage"], meaning=row["meaning"], places=row["places"], focus_held=row["focus_held"]
        )
        return not cfg.supported(support)

    def figures(cfg: SupportPolicy) -> str:
        cells = []
        for name in [*SETS, "all"]:
            chosen = [r for r in rows if name in ("all", r["set"])]
            unanswerable = [r for r in chosen if not r["answerable"]]
            if not chosen:
                continue
            hit = sum(refused(r, cfg) for r in unanswerable)
            wrong = sum(refused(r, cfg) for r in chosen if r["answerable"])
            precision = hit / (hit + wrong) if hit + wrong else 1.0
            recall = hit / len(unanswerable) if unanswerable else 1.0
            answerable = len(chosen) - len(unanswerable)
            counts = f"{hit}/{len(unanswerable)}; {wrong}/{answerable} wrongly"
            cells.append(f"{name}: P {precision:.2f} R {recall:.2f} ({counts})")
        return " | ".join(cells)

    print(f"questions: {len(rows)} ({sum(not r['answerable'] for r in rows)} unanswerable)")
    print(f"{'policy ' + str(policy.model_dump()):<60} {figures(policy)}")
    print(f"{'answer everything (no check)':<60} {figures(_Answer())}")
    grid = []
    for cov, meaning in itertools.product((0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7), (0.65, 0.7, 0.75, 0.8, 1.01)):
        for focus in (True, False):
            cfg = SupportPolicy(min_coverage=cov, min_meaning_alone=meaning, require_focus=focus)
            grid.append((cov, meaning, f"focus {'on ' if focus else 'off'} " + figures(cfg)))
    for cov, meaning, line in grid if args.grid else [g for g in grid if g[1] in (0.75, 1.01)]:
        print(f"  coverage>={cov:<5} or meaning>={meaning:<5}{'':<26} {line}")
    for r in rows:
        if "coverage" in r and refused(r, policy) == r["answerable"]:
            print(f"  {'refused' if r['answerable'] else 'answered'}: {r['set']} {r['id']} cov {r['coverage']:.2f} "
                  f"meaning {r['meaning']:.2f} places {r['places']} missing {r['missing']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
