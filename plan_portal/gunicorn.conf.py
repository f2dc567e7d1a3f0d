"""gunicorn's settings for the portal, read from the environment as the portal's own are:

    gunicorn -c plan_portal/gunicorn.conf.py plan_portal.wsgi

See README, "Deployment behind nginx with TLS".
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bool(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


# Only the proxy on this machine talks to gunicorn; it is never exposed itself.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# 2 × cores + 1 synchronous workers, gunicorn's advice, capped: each worker is a process with
# its own database connection, and a ministry's server is shared with other services.
workers = _int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 9))
worker_class = "sync"

# The slowest requests are the summary's exports and a 20 MB upload (which nginx receives in
# full before passing it on): seconds, not a minute. A worker stuck longer is restarted.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Each worker is replaced after about a thousand requests, so a slow leak cannot accumulate.
max_requests = 1000
max_requests_jitter = 100

# No control socket (recent gunicorn opens one in the home folder): systemd and signals manage
# the server, and a sandboxed service has no writable home.
control_socket_disable = True

# Logs to stdout/stderr, for journald. The access log names the path without the query
# string (%(U)s, not %(r)s): filters and the sign-in's "next" may hold data; no referrer either,
# which carries the previous page's query string.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'

# X-Forwarded-Proto is believed only from the TLS proxy on this machine, and only when the
# portal is configured to be behind one (BEHIND_TLS_PROXY=1, as Django's own setting).
if _bool("BEHIND_TLS_PROXY"):
    forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
else:
    forwarded_allow_ips = ""


# gunicorn names itself in a Server header of every response and has no setting to stop it (its
# maintainers leave it to the proxy). Nothing needs to know what serves the portal, and a
# scanner looking for a vulnerable version should not be told: each worker, a fresh fork of the
# master, leaves it out.
def post_worker_init(worker):
    from gunicorn.http import wsgi

    headers = wsgi.Response.default_headers

    def default_headers(self):
        return [line for line in headers(self) if not line.lower().startswith("server:")]

    wsgi.Response.default_headers = default_headers
