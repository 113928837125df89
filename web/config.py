"""``[staff_web]`` in the kiosk file: where the staff page listens and who may reach it.

    [staff_web]
    host = "0.0.0.0"          # every interface; clients outside the LAN are refused anyway
    port = 8080               # 0: any free port (tests)
    allow = ["192.168.0.0/16"] # extra networks to admit (default: private and loopback only)
    session_hours = 12

Errors name the file, line and field like the rest of the kiosk file.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from untact.accessibility.config import Table

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class WebConfig:
    host: str = "0.0.0.0"
    port: int = 8080
    allow: tuple[Network, ...] = field(default_factory=tuple)
    session_hours: float = 12.0


def from_table(table: Table) -> WebConfig:
    table.unknown_keys({"host", "port", "allow", "session_hours"})
    d = WebConfig()
    host = table.get("host", str, d.host, max_len=100)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise table.error("host", f"must be an IP address (e.g. 0.0.0.0 or 192.168.0.10), "
                                  f"not {host!r}") from None
    allow = []
    for i, text in enumerate(table.get("allow", list, [])):
        try:
            allow.append(ipaddress.ip_network(str(text), strict=False))
        except ValueError:
            raise table.error("allow", f"item {i + 1}: {text!r} is not a network "
                                       "like 192.168.0.0/24") from None
    return WebConfig(host=host, port=table.get("port", int, d.port, min=0, max=65535),
                     allow=tuple(allow),
                     session_hours=table.get("session_hours", float, d.session_hours, min=0.1, max=168))


def client_allowed(host: str | None, config: WebConfig) -> bool:
    """The shop LAN only: private and loopback addresses, plus the networks in ``allow``."""
    if not host:
        return False
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if any(addr in net for net in config.allow):
        return True
    return (addr.is_private or addr.is_loopback) and not addr.is_global
