.PHONY: run test test-fast lint neo4j-start neo4j-stop model

run:
	bash scripts/run

test:
	bash scripts/test

test-fast:
	bash scripts/test -m "not slow"

lint:
	bash scripts/setup && .venv/bin/ruff check graph ingest search_api tests && .venv/bin/mypy

model:
	bash scripts/setup && bash scripts/fetch-model

neo4j-start:
	bash scripts/neo4j-start

neo4j-stop:
	bash scripts/neo4j-stop
