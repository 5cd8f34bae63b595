"""`manage.py unavailable_page FILE`: the page a load balancer answers with while
no app server is ready (HAProxy's `errorfile 503`), with the crisis lines the
programme's coordinators set. Run it after each change of the lines: a programme's
balancer carries its own crisis lines too."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation

from recovery.crisis import programme_lines

HEAD = (
    "HTTP/1.0 503 Service Unavailable\r\n"
    "Cache-Control: no-store\r\n"
    "Connection: close\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
)
# HAProxy keeps an errorfile in one buffer (16 kB by default), headers included.
MOST_BYTES = 15_000


class Command(BaseCommand):
    help = (
        "Write the page the load balancer shows while no app server is ready, "
        "with the programme's crisis lines (HAProxy's errorfile 503)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", help="where to write it, e.g. /etc/haproxy/503.http"
        )

    def handle(self, *args, file: str, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            lines = programme_lines().lines
            body = render_to_string("errors/balancer_503.html", {"crisis_lines": lines})
        page = (HEAD + body).encode("utf-8")
        if len(page) > MOST_BYTES:
            raise SystemExit(
                f"The page would be {len(page)} bytes, more than HAProxy holds "
                f"({MOST_BYTES}): list fewer crisis lines, or shorter ones."
            )
        Path(file).write_bytes(page)
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Wrote {file} with {len(lines)} crisis line(s); reload HAProxy "
                "to use it."
            )
