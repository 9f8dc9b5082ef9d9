# The API image. With Docker the model hub is usually reachable, so the model is named, not built.
# The page's browser libraries (Cytoscape.js, Swagger UI, ReDoc) come from npm, in a stage of their own.
FROM node:20-slim AS vendor
WORKDIR /vendor
COPY search_api/vendor/package.json search_api/vendor/package-lock.json search_api/vendor/.npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY search_api ./search_api
COPY --from=vendor /vendor/node_modules ./search_api/vendor/node_modules
RUN pip install .
COPY corpora ./corpora
ENV CHUYI_EMBEDDING_MODEL=BAAI/bge-small-zh-v1.5 \
    CHUYI_DATA_DIR=/data
EXPOSE 8000
# A container listens on every interface, so it needs a key for writes: without CHUYI_API_KEYS it stops.
CMD ["sh", "-c", "[ -n \"$CHUYI_API_KEYS\" ] || { echo 'set CHUYI_API_KEYS (comma-separated write keys)' >&2; exit 2; }; chuyi ingest --quiet corpora/ ; exec chuyi serve --host 0.0.0.0 --port 8000"]
