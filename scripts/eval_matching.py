"""Matching quality and speed on the development cases (tests/reference/cases.py). Prints numbers.

usage: .venv/bin/python scripts/eval_matching.py [REFERENCE_DIR]   (default ../shared/data)
Loads the reference data into a temporary embedded store, then runs every case through MatchService.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.factory import make_store  # noqa: E402
from ingest.embedding import SentenceTransformerEmbedder  # noqa: E402
from ingest.reference.load import load_reference  # noqa: E402
from search_api.matching.schemas import MatchIndustriesRequest, MatchSpecialtiesRequest  # noqa: E402
from search_api.matching.service import MatchService  # noqa: E402
from tests.reference.cases import DEV_CASES, ISSUE_CASES, REVERSE_CASES  # noqa: E402


def main() -> int:
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    with tempfile.TemporaryDirectory() as tmp:
        store = make_store("embedded", data_dir=Path(tmp))
        store.start()
        t = time.perf_counter()
        load_reference(store, ref, ROOT / "corpora" / "knowledge")
        print(f"reference load: {time.perf_counter() - t:.2f} s")
        embedder = SentenceTransformerEmbedder(str(ROOT / "models" / "bge-small-zh-v1.5"), batch_size=64)
        embedder.start()
        service = MatchService(store, embedder, "bge-small-zh-v1.5", ROOT / "data" / "cache")
        t = time.perf_counter()
        print(f"name vectors: {service.warm()} in {time.perf_counter() - t:.2f} s")
        passed = total = 0
        times = []
        for case in ISSUE_CASES + DEV_CASES:
            t = time.perf_counter()
            r = service.specialties(MatchSpecialtiesRequest(industry=case.industry, level=case.level, top_k=case.top))
            times.append(time.perf_counter() - t)
            names = [x.name for x in r.results]
            missing = [e for e in case.expect if e not in names]
            total += 1
            passed += not missing
            flag = ("ok  " if not missing else "MISS") + f" {times[-1] * 1000:5.0f}ms"
            print(
                f"{flag} {case.industry}/{case.level} top{case.top} → {r.target.kind}:{r.target.name} "
                f"missing={missing} got={names}"
            )
        for rc in REVERSE_CASES:
            t = time.perf_counter()
            r = service.industries(MatchIndustriesRequest(specialty=rc.specialty, top_k=30))
            times.append(time.perf_counter() - t)
            inds = [x for x in r.results if x.kind == "industry"][: rc.top]
            chains = [x for x in r.results if x.kind == "chain"]
            ok_codes = all(any(c.startswith(x.code) or x.code.startswith(c) for x in inds) for c in rc.expect_codes)
            ok_chain = rc.first_chain is None or (chains and chains[0].name == rc.first_chain)
            total += 1
            passed += bool(ok_codes and ok_chain)
            flag = ("ok  " if ok_codes and ok_chain else "MISS") + f" {times[-1] * 1000:5.0f}ms"
            print(f"{flag} {rc.specialty} → {[(x.code, x.name) for x in inds]} chains={[x.name for x in chains[:3]]}")
        times.sort()
        print(
            f"passed {passed}/{total}; per request median {times[len(times) // 2] * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
