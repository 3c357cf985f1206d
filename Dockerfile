# The bot in a container; mirrors the README's `make run` install step for step.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DWBOT_DATA_DIR=/data

RUN useradd --create-home --uid 10001 dwbot
WORKDIR /app

# Same install as `make run`: the project and its dependencies from pyproject.toml.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
COPY locales ./locales
RUN pip install --no-cache-dir . \
    && pybabel compile -d locales -D messages

RUN mkdir -p /data && chown dwbot:dwbot /data
VOLUME ["/data"]
USER dwbot

ENTRYPOINT ["python", "-m", "bot"]
