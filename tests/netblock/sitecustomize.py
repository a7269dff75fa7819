"""Loaded by every Python process the tests start (via PYTHONPATH): refuses
network connections to anything but this machine, so a notebook or explorer
that tries to download at run time fails loudly instead of passing on a
machine that happens to be online."""

import ipaddress
import socket

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex


def _is_local(address) -> bool:
    if not isinstance(address, tuple):
        return True  # Unix sockets
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a hostname that is not localhost


def _guard(address):
    if not _is_local(address):
        raise ConnectionRefusedError(f"network blocked during course tests: tried to connect to {address!r}")


def _connect(self, address):
    _guard(address)
    return _original_connect(self, address)


def _connect_ex(self, address):
    _guard(address)
    return _original_connect_ex(self, address)


socket.socket.connect = _connect
socket.socket.connect_ex = _connect_ex
