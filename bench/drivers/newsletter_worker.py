"""One sender process of the platform's newsletter protocol, started before the send as a task worker is.

Sets Django up under the environment it was started with (`ours_env.environment`), opens its database
connection, prints "ready" and waits for a send id on stdin; then it runs the delivery loop
(`newsletter.delivery.worker.run_worker`) for that send until nothing is left for it, as
`manage.py deliver_newsletters --send ID --no-wait` does. Its start-up is not part of the measured time:
in production the task workers are running when a send starts (the raw sender is timed the same way).
"""

import ctypes
import signal
import sys

import django

PR_SET_PDEATHSIG = 1


def main():
    # A driver killed by its timeout must not leave a worker behind, waiting for a database that is gone.
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.urls import get_resolver
    from django.utils import translation

    from newsletter.delivery.worker import run_worker

    connection.ensure_connection()
    # What a task worker loaded with its first send and keeps: the URLconf (each message's links are
    # reversed URLs; the first reverse imports every app's urls, about 1.4 s on a busy machine) and the
    # translations (the greeting).
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Guten Tag,")
    print("ready", flush=True)
    send_id = int(sys.stdin.readline())
    run_worker(send_id=send_id, wait=False)


if __name__ == "__main__":
    main()
