"""The optional virus scan: uploads are streamed to clamd, here a stub daemon speaking its INSTREAM protocol."""

import socketserver
import struct
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import config
from reports.uploads import ValidationError, check_upload
from tests.security import sample_files as files

# Stands for a signature; the real EICAR test string would alarm scanners on developers' machines.
MALWARE_MARKER = b"%STUB-MALWARE-SIGNATURE\n"


class ClamdHandler(socketserver.StreamRequestHandler):
    """clamd's INSTREAM: "nINSTREAM\\n", then chunks each led by a 4-byte big-endian length, then 0; one line back."""

    def handle(self):
        if self.rfile.readline() != b"nINSTREAM\n":
            self.wfile.write(b"UNKNOWN COMMAND\n")
            return
        received = b""
        while size := struct.unpack("!L", self.rfile.read(4))[0]:
            received += self.rfile.read(size)
        self.server.received.append(received)
        found = MALWARE_MARKER in received
        self.wfile.write(b"stream: Stub.Test.Signature FOUND\n" if found else b"stream: OK\n")


class TCPDaemon(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True


class UnixDaemon(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture(params=["tcp", "unix"])
def clamd(request, settings, tmp_path):
    """A stub daemon on a loopback port or a Unix socket, with CLAMD_URL pointing at it."""
    if request.param == "tcp":
        server = TCPDaemon(("127.0.0.1", 0), ClamdHandler)
        settings.CLAMD_URL = f"tcp://127.0.0.1:{server.server_address[1]}"
    else:
        server = UnixDaemon(str(tmp_path / "clamd.ctl"), ClamdHandler)
        settings.CLAMD_URL = f"unix://{tmp_path / 'clamd.ctl'}"
    settings.CLAMD_TIMEOUT = 5
    server.received = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def upload(content: bytes, name="报告.pdf"):
    return SimpleUploadedFile(name, content)


def test_a_clean_file_is_scanned_and_accepted(clamd):
    checked = check_upload(upload(files.pdf()))
    assert clamd.received == [files.pdf()]
    assert checked.content == files.pdf()


def test_the_daemon_scans_what_is_stored(clamd):
    """An image is scanned after re-encoding: the bytes that will be served."""
    checked = check_upload(upload(files.png(), "图.png"))
    assert clamd.received == [checked.content]


def test_a_file_the_daemon_flags_is_refused_with_the_signature(clamd):
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload(files.pdf() + MALWARE_MARKER))
    assert "Stub.Test.Signature" in refusal.value.messages[0]


def test_a_file_is_refused_when_the_configured_daemon_cannot_be_reached(settings):
    with socketserver.TCPServer(("127.0.0.1", 0), ClamdHandler) as closed:
        port = closed.server_address[1]
    settings.CLAMD_URL = f"tcp://127.0.0.1:{port}"
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload(files.pdf()))
    assert "暂时无法完成病毒扫描" in refusal.value.messages[0]


def test_scanning_is_off_unless_configured(settings, monkeypatch):
    settings.CLAMD_URL = ""
    monkeypatch.setattr("socket.socket.connect", lambda *args: pytest.fail("connected"))
    assert check_upload(upload(files.pdf())).content == files.pdf()


@pytest.mark.parametrize(
    "value", ["127.0.0.1:3310", "tcp://127.0.0.1", "http://scanner:3310", "unix://host/sock", "tcp://h:x"]
)
def test_a_malformed_clamd_url_is_a_configuration_error(monkeypatch, value):
    monkeypatch.setenv("CLAMD_URL", value)
    with pytest.raises(ImproperlyConfigured):
        config.clamd_url("CLAMD_URL")
