# The API image. With Docker the model hub is usually reachable, so the model is named, not built.
FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY search_api ./search_api
RUN pip install .
COPY corpora ./corpora
ENV CHUYI_EMBEDDING_MODEL=BAAI/bge-small-zh-v1.5 \
    CHUYI_DATA_DIR=/data
EXPOSE 8000
CMD ["sh", "-c", "chuyi ingest --quiet corpora/ ; exec chuyi serve --host 0.0.0.0 --port 8000"]
