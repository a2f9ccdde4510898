"""Runs the aws-eks-v2 kubectl handler of the pinned aws-cdk-lib on one event, as its Lambda would.

Usage: run.py BIN_DIR HANDLER_DIR EVENT_FILE RESULT_FILE

The handler's own code does the work (index.handler -> apply_handler, patch_handler): it logs in
with `aws eks update-kubeconfig`, writes the manifest and runs kubectl. BIN_DIR holds the kubectl of
the pinned layer and a stand-in `aws` that writes the test server's kubeconfig; it goes first on
PATH because pyenv's python puts its own bin folder (with a real aws CLI) first. The handler reads
TEST_OUTDIR (where it writes kubeconfig and manifest) from the environment at import.
The result file gets {"ok", "error", "logs"}: every message the handler logged, kubectl's
output (stdout and stderr, warnings included) decoded.
"""
import json
import logging
import os
import sys

bin_dir, handler_dir, event_file, result_file = sys.argv[1:5]
os.environ['PATH'] = bin_dir + os.pathsep + os.environ['PATH']
sys.path.insert(0, handler_dir)

def text(value):
    return value.decode('utf-8', 'replace') if isinstance(value, (bytes, bytearray)) else str(value)

records = []

class Collect(logging.Handler):
    def emit(self, record):
        records.append(text(record.msg) if not record.args else record.getMessage())

logging.getLogger().addHandler(Collect())

import index  # noqa: E402  (the handler's entry point: it dispatches on ResourceType)

with open(event_file) as f:
    event = json.load(f)
result = {'ok': True, 'logs': records}
try:
    # index.handler prints the event; keep stdout for nothing else.
    sys.stdout = sys.stderr
    index.handler(event, None)
except Exception as err:  # the handler raises Exception(kubectl output) on failure
    result = {'ok': False, 'error': ' '.join(text(a) for a in err.args), 'logs': records}
with open(result_file, 'w') as f:
    json.dump(result, f)
