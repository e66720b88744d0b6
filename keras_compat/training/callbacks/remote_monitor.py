"""``RemoteMonitor``: post each epoch's logs to a server."""
import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from keras_compat.training.callbacks.base import Callback


def _jsonable(value):
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


class RemoteMonitor(Callback):
    """POST ``{'epoch': epoch, **logs}`` as JSON to ``root + path`` after every epoch.

    The request body is form-encoded ``<field>=<json>`` with the given headers, as Keras 1
    sent it through ``requests``; here the standard library's ``urllib`` sends it (no
    extra dependency).  An unreachable server is a warning, not an error.

    # Arguments
        root: the server's root URL.
        path: the path the events are posted to.
        field: the form field holding the JSON.
        headers: HTTP headers.
        timeout: seconds to wait for the server (not in Keras 1).
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, timeout=10.):
        super().__init__()
        if headers is None:
            headers = {"Accept": "application/json", "Content-Type": "application/json"}
        self.root = root
        self.path = path
        self.field = field
        self.headers = dict(headers)
        self.timeout = timeout

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = _jsonable(value)
        body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
        request = urllib.request.Request(self.root + self.path, data=body, headers=self.headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn("Warning: could not reach RemoteMonitor root server at " + str(self.root))
