"""The address a development server was started with, for the links in mails.

`manage.py runserver 127.0.0.1:8080` and `daphne -b 127.0.0.1 -p 8080 …` serve the site on 8080, so a mail
sent from there must link to 8080 (not to the 8000 of the default). The task worker, a process of its
own, cannot see that command line: `make run` hands it the same address in SITE_URL.
"""

import argparse
import os

DEFAULT_ADDRESS = "127.0.0.1:8000"
# A server listening on every interface is reached in the browser by the loopback address.
_ANY_HOST = {"0.0.0.0": "127.0.0.1", "0": "127.0.0.1", "::": "[::1]", "[::]": "[::1]"}


def _url(host, port):
    host = _ANY_HOST.get(host, host or "127.0.0.1")
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _runserver_url(arguments):
    positional = [argument for argument in arguments if not argument.startswith("-")]
    if not positional:
        return _url(*DEFAULT_ADDRESS.split(":"))
    address = positional[0]
    if address.isdigit():
        return _url("127.0.0.1", address)
    host, _colon, port = address.rpartition(":")
    return _url(host, port)


def _daphne_url(arguments):
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-b", "--bind", default="127.0.0.1")
    parser.add_argument("-p", "--port", default="8000")
    known, _rest = parser.parse_known_args(arguments)
    return _url(known.bind, known.port)


def site_url_from_command_line(argv):
    """http://host:port of `runserver` or `daphne` in argv; None for any other command."""
    if len(argv) >= 2 and argv[1] == "runserver":
        return _runserver_url(argv[2:])
    if argv and os.path.basename(argv[0]) == "daphne":
        return _daphne_url(argv[1:])
    return None
