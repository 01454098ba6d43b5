"""The one check on addresses the server is asked to send to (push endpoints, webhooks).

Anyone can hand the server a URL; unless an operator allows private addresses,
the server connects only to hosts on the public internet, never to loopback,
private, link-local or reserved ones (a cloud's metadata service, a database).
"""

import ipaddress
import socket


class RefusedAddress(ValueError):
    """A host the server will not connect to, or one it could not find."""


def is_public(address: str) -> bool:
    """Tell whether an IP address (v4 or v6, as text) is on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Return the addresses of host, refusing (RefusedAddress) if any is not public.

    A caller connects to one of these very addresses, never looks the name up
    again: a second look-up could answer differently (DNS rebinding).
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RefusedAddress("The host could not be found.") from None
    addresses = list(dict.fromkeys(sockaddr[0] for *_, sockaddr in found))
    if not allow_private and not all(is_public(address) for address in addresses):
        raise RefusedAddress("The host is not on the public internet.")
    return addresses
