"""gunicorn settings for Margins: the one place they are written down.

    gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8001

``bin/serve`` runs exactly this (with ``--bind`` from MARGINS_HOST/MARGINS_PORT),
the systemd unit too (docs/deploy.md), and ``tests/live_server.py`` starts its
servers with it, overriding only worker counts and timeouts for the tests.
Margins itself is configured by MARGINS_* environment variables, not here.
"""

import os

wsgi_app = "server:create_app()"

# Threaded workers: each worker process serves up to `threads` requests at once, and a
# connection that sends nothing yet waits in the worker's poller, not in a thread. So a
# client that sends its headers and then stalls holds one thread, not a whole worker:
# it takes workers x threads stalled clients to stop the server, where with sync
# workers it took `workers`. A buffering proxy in front (nginx, docs/deploy.md) is what
# stops slow clients altogether: it reads whole requests before passing them on.
worker_class = "gthread"
workers = int(os.environ.get("MARGINS_WORKERS") or os.cpu_count() or 1)
threads = int(os.environ.get("MARGINS_THREADS") or 8)

timeout = 120          # a worker whose main loop is silent this long is killed
graceful_timeout = 30  # on stop or HUP, requests under way get this long to finish
keepalive = 5          # an idle kept-alive connection is closed after this long

# X-Forwarded-Proto is believed from these addresses only: nginx on this host.
forwarded_allow_ips = "127.0.0.1,::1"

# gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl: two app
# servers run by one user would fight over it, and Margins needs none.
control_socket_disable = True

# The extension asks for a page's highlights with the page's URL in the query, and a
# URL may have 8,192 characters (more once percent-encoded): past gunicorn's default
# request line of 4,094 bytes it would answer 414. nginx's large_client_header_buffers
# (8k by default) bounds it in front.
limit_request_line = 0

accesslog = "-"  # to standard output: the journal under systemd
# Tokens sent in a query string (access_token=, token=) are logged as [redacted].
logger_class = "server.access_log.RedactingLogger"
