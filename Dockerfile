# syntax=docker/dockerfile:1
# calendar-svc: multi-stage image. Build: docker build -t calendar-svc .  (see docs/deployment.md)

ARG PYTHON_IMAGE=python:3.11-slim

# -- builder: wheels for the app and every dependency (compilers live only here) ------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# the committed lock first (exact versions, verified by hash), so this layer is cached across code changes
COPY requirements/runtime.txt ./requirements/runtime.txt
RUN pip wheel --require-hashes --wheel-dir /wheels -r requirements/runtime.txt
COPY pyproject.toml README.md ./
COPY calendar_svc ./calendar_svc
COPY parsers ./parsers
COPY feeds ./feeds
RUN pip wheel --no-deps --wheel-dir /wheels .

# -- runtime: no build tools, non-root ----------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="calendar-svc" \
      org.opencontainers.image.description="iCalendar feeds, JSON API and reminders for EU migration dialogues"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    CALENDAR_SVC_DATABASE_URL=sqlite:////data/calendar-svc.sqlite3 \
    GUNICORN_CMD_ARGS="--workers 2 --worker-class gthread --threads 4 --timeout 60 --graceful-timeout 10 --keep-alive 5 --worker-tmp-dir /dev/shm"
RUN groupadd --system --gid 10001 calsvc \
 && useradd --system --uid 10001 --gid calsvc --home-dir /app --no-create-home --shell /usr/sbin/nologin calsvc \
 && mkdir -p /app /data \
 && chown calsvc:calsvc /data
# only the wheels built above from the lock (--no-index): nothing unpinned comes from a registry
# hadolint ignore=DL3013
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels 'calendar-svc[postgres]'
WORKDIR /app
COPY --chown=calsvc:calsvc samples ./samples
USER 10001:10001
# The SQLite file (default database URL); unused with CALENDAR_SVC_DATABASE_URL=postgresql://...
VOLUME ["/data"]
EXPOSE 8000
# /healthz: process up (readiness, incl. the database, is /readyz). No curl in slim images: Python.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4); sys.exit(r.status != 200)"]
# gunicorn binds 0.0.0.0:$PORT; settings in GUNICORN_CMD_ARGS. Other commands: docker run IMAGE calendar-svc ...
CMD ["gunicorn", "calendar_svc.wsgi:app"]
