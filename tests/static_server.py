"""The one small HTTP server of the tests and the benchmarks: a folder on 127.0.0.1 at a free port.

    from static_server import serve      # tests/ is on sys.path under pytest; benchmarks add it

    with serve(site) as server:
        page.goto(server.url + "index.html")
        server.sent                       # body bytes sent so far
        server.log                        # [Sent(at, size, path)] per response, in order
        server.log.clear()                # start counting again

Every response is recorded as `Sent(at, size, path)`: `at` when its body was written (ms since
1970, to compare with a browser's clock), `size` the body's bytes, 0 for a 304 (a revalidated
cache entry: a request, no body). `types` relabels what a file extension is sent as, e.g.
`{".wasm": "application/octet-stream"}` for a server that does not know WebAssembly.

Quiet (no access log), threaded, and at a port the system picks, so that parallel test workers
never collide.
"""

import contextlib
import http.server
import os
import threading
import time
from pathlib import Path
from typing import NamedTuple


class Sent(NamedTuple):
    at: float
    size: int
    path: str


class StaticServer(http.server.ThreadingHTTPServer):
    """Serves `directory`; `url` ends in "/"; `log` holds every response sent (see Sent)."""

    def __init__(self, directory, types=None):
        self.directory = str(Path(directory))
        self.types = {extension.lower(): value for extension, value in (types or {}).items()}
        self.log = []
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"

    @property
    def sent(self):
        return sum(entry.size for entry in self.log)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, request, client_address, server):
        super().__init__(request, client_address, server, directory=server.directory)

    def log_message(self, format, *args):
        pass

    def guess_type(self, path):
        relabelled = self.server.types.get(os.path.splitext(path)[1].lower())
        return relabelled or super().guess_type(path)

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        self.server.log.append(Sent(time.time() * 1000, len(data), self.path))

    def send_response(self, code, message=None):
        super().send_response(code, message)
        if code == 304:
            self.server.log.append(Sent(time.time() * 1000, 0, self.path))


@contextlib.contextmanager
def serve(directory, types=None):
    """Serve `directory` while the block runs; yields the StaticServer."""
    server = StaticServer(directory, types)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
