"""Notebook 01's exercise check: it passes a right answer and names what is wrong."""
import json
import socket
import time
from pathlib import Path

import pytest

from helpers.exercises import ExerciseFailed
from helpers.exercises import blocking
from helpers.exercises.blocking import check_fetch_with_socket

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


SERVICE_DELAY = 0.1  # seconds, for the `service` fixture (tests/conftest.py)


def raw_response(address, path):
    """What a right answer reads: the whole response, headers and body."""
    request = f"GET {path} HTTP/1.1\r\nHost: {address[0]}\r\nConnection: close\r\n\r\n"
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(request.encode())
        chunks = []
        while chunk := sock.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks)


def right(address, path):
    return raw_response(address, path).partition(b"\r\n\r\n")[2]


def test_a_right_answer_passes(service, capsys):
    check_fetch_with_socket(right, service)
    assert "✓" in capsys.readouterr().out


def test_the_placeholder_is_not_attempted(service, capsys):
    def placeholder(address, path):
        raise NotImplementedError  # your code here

    check_fetch_with_socket(placeholder, service)
    out = capsys.readouterr().out
    assert "Not attempted" in out and "%load solutions/01-make-blocking-calls.py" in out


@pytest.mark.parametrize("wrong, message", [
    (lambda address, path: b"resource", "answered 0 requests"),
    (lambda address, path: None, "returned None"),
    (lambda address, path: right(address, path).decode(), "returned a str"),
    (raw_response, "headers included"),
    (lambda address, path: right(address, "/get_resource"), "another path"),
    (lambda address, path: right(address, path) + right(address, path), "answered 2 requests"),
    (lambda address, path: right(address, path)[:4], "Expected the body"),
], ids=["made-up body", "None", "str", "with headers", "ignores the path", "two requests",
        "cut short"])
def test_wrong_answers_are_rejected_with_what_is_wrong(wrong, message, service):
    with pytest.raises(ExerciseFailed, match=message):
        check_fetch_with_socket(wrong, service)


def test_a_request_that_stops_before_the_answer_is_rejected(service):
    def sends_but_never_waits(address, path):
        with socket.create_connection(address, timeout=10) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        return b"resource"

    with pytest.raises(ExerciseFailed, match="answered 0 requests"):
        check_fetch_with_socket(sends_but_never_waits, service)


def test_the_notebook_gives_the_same_hint_as_the_check(service, capsys):
    """A learner who reads the notebook's hint and then the check's sees one hint, not two."""
    def placeholder(address, path):
        raise NotImplementedError

    check_fetch_with_socket(placeholder, service)
    [check_hint] = [line.removeprefix("Hint: ") for line in capsys.readouterr().out.splitlines()
                    if line.startswith("Hint: ")]
    notebook = json.loads((NOTEBOOKS / "01-make-blocking-calls.ipynb").read_text())
    exercise = next("".join(cell["source"]) for cell in notebook["cells"]
                    if cell["cell_type"] == "markdown" and "**Hint.**" in "".join(cell["source"]))
    notebook_hint = exercise.split("**Hint.**", 1)[1].split("\n\n", 1)[0]

    def plain(text):
        return " ".join(text.replace("`", "").split())

    assert plain(notebook_hint) == plain(check_hint)
    assert "Stuck? Run `%load solutions/01-make-blocking-calls.py` in a new cell to load a solution." in exercise


def test_a_request_without_its_final_empty_line_fails_instead_of_hanging(service, monkeypatch):
    """The most common slip: the service waits for the end of the request, recv() waits
    for the answer; the check must give up and say which line is missing."""
    monkeypatch.setattr(blocking, "GIVE_UP_AFTER", 0.5)

    def forgets_the_empty_line(address, path):
        with socket.create_connection(address) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode())
            return sock.recv(4096).partition(b"\r\n\r\n")[2]

    start = time.perf_counter()
    with pytest.raises(ExerciseFailed, match=r"ends with an empty line"):
        check_fetch_with_socket(forgets_the_empty_line, service)
    assert time.perf_counter() - start < 5, "the check should give up after GIVE_UP_AFTER"
    assert socket.getdefaulttimeout() is None, "the check should put the default timeout back"


def never_closes(address, path):
    """Right answer, but the socket is left for the garbage collector."""
    sock = socket.create_connection(address, timeout=10)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    chunks = []
    while chunk := sock.recv(4096):
        chunks.append(chunk)
    return b"".join(chunks).partition(b"\r\n\r\n")[2]


def keeps_the_connection_alive(address, path):
    """Works here only because the service closes anyway; an HTTP/1.1 server would not."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.send(f"GET {path} HTTP/1.1\r\n".encode())  # send(), in two parts
        sock.sendall(b"Host: x\r\n\r\n")
        chunks = []
        while chunk := sock.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks).partition(b"\r\n\r\n")[2]


def asks_to_close_in_its_own_words(address, path):
    """Header names are case-insensitive: `connection:   close` is as good."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nconnection:   close\r\nHost: x\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks).partition(b"\r\n\r\n")[2]


def test_a_socket_that_is_never_closed_is_rejected(service):
    with pytest.raises(ExerciseFailed, match=r"left its socket open.*`with` block"):
        check_fetch_with_socket(never_closes, service)


def test_a_request_without_connection_close_is_rejected(service):
    with pytest.raises(ExerciseFailed, match=r"no `Connection: close` line"):
        check_fetch_with_socket(keeps_the_connection_alive, service)


def test_connection_close_in_any_case_passes(service, capsys):
    check_fetch_with_socket(asks_to_close_in_its_own_words, service)
    assert "✓" in capsys.readouterr().out


def test_the_check_puts_the_socket_methods_back(service):
    check_fetch_with_socket(right, service)
    assert "send" not in vars(socket.socket) and "sendall" not in vars(socket.socket)
