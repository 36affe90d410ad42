"""Solution to notebook 01's exercise: one request by hand on a bare socket."""
import socket

import helpers
from helpers.exercises.blocking import check_fetch_with_socket

service = helpers.shared_service()


def fetch_with_socket(address, path):
    """GET path from address (host, port) on a plain socket; return the checked body."""
    request = f"GET {path} HTTP/1.1\r\nHost: {address[0]}\r\nConnection: close\r\n\r\n"
    with socket.create_connection(address, timeout=30) as sock:  # connect
        sock.sendall(request.encode("ascii"))                     # send
        chunks = []
        while True:
            chunk = sock.recv(4096)  # wait (blocks until bytes arrive), then read
            if not chunk:            # b"": the service has sent everything and closed
                break
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])  # b"HTTP/1.1 200 OK" -> 200
    return helpers.check_response(status, body)


check_fetch_with_socket(fetch_with_socket, service)
