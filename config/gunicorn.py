"""gunicorn settings for `make serve` and the load test (`gunicorn -c config/gunicorn.py`).

Read from environment variables so one file serves a laptop and a server:

- LADDER_BIND (default 127.0.0.1:8000): where to listen. Keep it on loopback behind a
  TLS-terminating proxy; the app redirects to HTTPS and sets secure cookies.
- WEB_CONCURRENCY (default 2 × cores + 1): worker processes. Sync workers: every page is
  a short database-bound request, and a slow export occupies one worker, not the server.
- GUNICORN_TIMEOUT (default 60 s): deck and image exports are the slowest requests.
Command-line flags (`--bind`, `--workers`) still override these.
"""

import gc
import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("LADDER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
# Recycle workers now and then so a slow leak in a long-lived process cannot grow unbounded.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# The proxy in front sets X-Forwarded-Proto; only trust it from the loopback.
forwarded_allow_ips = "127.0.0.1"
# gunicorn 27's control socket lives at one path per user (~/.gunicorn/gunicorn.ctl), so two
# servers on one machine (make serve beside the load test) would fight over it; nothing here
# uses gunicornc.
control_socket_disable = True


def post_worker_init(worker):
    """Everything a worker loads at start-up (Django, pandas, plotly) lives as long as the
    worker: frozen out of the garbage collector, a full collection no longer walks those
    millions of objects. In-process, the questionnaire page's slowest of 60 requests went
    from 91 ms to 19 ms (its median stayed 15 ms): the pauses were the load test's p95."""
    gc.freeze()
