"""Run one command as a child and write its exit code and its own peak RSS to a JSON file.

    measured.py REPORT.json COMMAND [ARGS...]

The newsletter drivers start every sender through this. Reading ru_maxrss straight from the driver's
wait4 counts the driver's memory too: Linux keeps the high-water mark a process had before it exec'd
(exec_mmap → setmax_mm_hiwater_rss), and a child begins as a copy of the driver, so its ru_maxrss is
at least what the driver held when it started it — with a list of 100,000 subscribers in the driver,
that showed up as the sender's memory growing with the list. This process is small when it starts
the command, so the command's ru_maxrss (from wait4, the kernel's own high-water mark: no sampling
that could miss a spike) is the command's. Standard library only: it also runs in the peers' venvs.
The child inherits stdin, stdout and stderr; a driver that dies takes this process and the child along.
"""

import ctypes
import json
import os
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1


def main():
    report, command = sys.argv[1], sys.argv[2:]
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    child = subprocess.Popen(command)
    # Pass a stop on to the child (a driver's timeout); the report is written either way.
    signal.signal(signal.SIGTERM, lambda *_args: child.terminate())
    _pid, status, usage = os.wait4(child.pid, 0)
    exit_code = os.waitstatus_to_exitcode(status)
    with open(report, "w") as handle:
        json.dump({"exit_code": exit_code, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}, handle)
    sys.exit(exit_code if exit_code >= 0 else 1)


if __name__ == "__main__":
    main()
