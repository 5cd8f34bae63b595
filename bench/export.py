"""Time one member's "download my data" and the peak memory of the process serving
it, in a fresh process of its own (so nothing else has raised its peak).

Run by bench/run.py as `python -m bench.export USERNAME` with the app's
environment; prints one JSON line. The response goes through Django's handler as in
a gunicorn worker and is streamed to a temporary file, chunk by chunk, the way the
worker hands it to the socket; the ZIP is checked after the peak is read.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import zipfile

import django

# URL names the member's download has had or may have; the first that resolves.
URL_NAMES = ("goals:data-download", "goals:export", "goals:download")


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (VmHWM), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("No VmHWM in /proc/self/status.")


def export_url() -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def main(username: str) -> dict:
    django.setup()
    from django.test import Client
    from django.urls import reverse

    from goals.models import CheckIn
    from recovery.models import User

    member = User.objects.get(username=username)
    url = export_url()
    if url is None:
        return {"error": f"no download URL ({', '.join(URL_NAMES)})"}
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    # Warm up as a worker would be: imports, templates, the session, a page.
    client.get(reverse("goals:home"), secure=True)
    before = peak_rss_mb()
    size = 0
    with tempfile.TemporaryFile() as sink:
        started = time.perf_counter()
        response = client.get(url, secure=True)
        if response.status_code != 200:
            return {"error": f"{url} answered {response.status_code}"}
        chunks = (
            response.streaming_content if response.streaming else [response.content]
        )
        for chunk in chunks:
            sink.write(chunk)
            size += len(chunk)
        seconds = time.perf_counter() - started
        peak = peak_rss_mb()
        sink.seek(0)
        with zipfile.ZipFile(sink) as archive:
            broken = archive.testzip()
            names = archive.namelist()
    return {
        "url": url,
        "streaming": response.streaming,
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak,
        "peak_before_mb": before,
        "bytes": size,
        "files": names,
        "zip_ok": broken is None,
        "checkins": CheckIn.objects.filter(member=member).count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
