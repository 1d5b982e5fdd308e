"""Which workstation a session runs for: its printers and cash register, found from the SSH
client's address or ``TUI_DESK_WORKSTATION``."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import replace

from tui_desk.config import Config, Workstation

DEMO_WORKSTATION = "oefenbalie"
WORKSTATION_ENV = "TUI_DESK_WORKSTATION"


def client_address(environ: Mapping[str, str] | None = None) -> str | None:
    """The SSH client's address (``SSH_CONNECTION``, else ``SSH_CLIENT``), if any.

    >>> client_address({"SSH_CONNECTION": "10.0.0.5 51000 10.0.0.1 22"})
    '10.0.0.5'
    """
    env = os.environ if environ is None else environ
    for name in ("SSH_CONNECTION", "SSH_CLIENT"):
        parts = (env.get(name) or "").split()
        if parts:
            return parts[0]
    return None


def _matches(entry: str, address: str) -> bool:
    entry = entry.strip()
    if entry == address:
        return True
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if "/" in entry:
            return ip in ipaddress.ip_network(entry, strict=False)
        return ip == ipaddress.ip_address(entry)
    except ValueError:
        return False


def resolve_workstation(config: Config, environ: Mapping[str, str] | None = None, *,
                        demo: bool = False) -> Workstation:
    """The workstation this session runs for.

    ``TUI_DESK_WORKSTATION`` names it; otherwise the SSH client's address is looked up in the
    workstations' ``clients`` (addresses or networks such as ``10.0.1.0/24``). Found nowhere:
    a workstation without printers named after the address (printing then says what to
    configure). In demo mode every printer that is not configured is the demo printer.
    """
    env = os.environ if environ is None else environ
    found: Workstation | None = None
    wanted = (env.get(WORKSTATION_ENV) or "").strip()
    address = client_address(env)
    if wanted:
        found = next((w for w in config.workstations if w.name == wanted), None)
    elif address:
        found = next((w for w in config.workstations
                      if any(_matches(c, address) for c in w.clients)), None)
    if found is None:
        name = wanted or (DEMO_WORKSTATION if demo else f"onbekend ({address or 'lokaal'})")
        branch = config.branches[0].code if config.branches else ""
        found = Workstation(name, branch)
    if demo:
        found = replace(found, receipt_printer=found.receipt_printer or "demo:",
                        card_printer=found.card_printer or "demo:",
                        document_printer=found.document_printer or "demo:")
    return found

