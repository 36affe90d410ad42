"""Who listens where: the local addresses of a listening port, read from the kernel."""
import os


def listening_addresses(port):
    """The local addresses with a TCP socket listening on `port`, from /proc/net/tcp{,6}.

    Linux only (no psutil needed): returns None where /proc/net/tcp does not exist.
    """
    import ipaddress

    if not os.path.exists("/proc/net/tcp"):
        return None
    found = set()
    for table, size in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            next(f)  # the header
            for line in f:
                local, _remote, state = line.split()[1:4]
                host, port_hex = local.split(":")
                if state != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                    continue
                raw = bytes.fromhex(host)  # the kernel prints each 32-bit word little-endian
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, size, 4))
                found.add(str(ipaddress.ip_address(raw)))
    return found
