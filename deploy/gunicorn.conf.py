"""gunicorn settings for one Margins app server (docs/deploy.md).

    gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8001

Margins itself is configured by MARGINS_* environment variables (the
systemd unit reads them from /etc/margins/margins.env), not here.
"""

import os

wsgi_app = "server:create_app()"

# Sync workers handle one request at a time. Margins' slow requests spend
# CPU (cleaning a page's HTML, writing an export), not waiting, and nginx in
# front buffers slow clients, so more workers than cores buys little but memory.
worker_class = "sync"
workers = int(os.environ.get("MARGINS_WORKERS", os.cpu_count() or 1))

timeout = 120          # a worker silent this long is killed: large imports and exports need time
graceful_timeout = 30  # on stop or HUP, requests under way get this long to finish

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
