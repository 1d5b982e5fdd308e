"""The configuration against the database and the world: workstations, staff, the mail
server, the privacy settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from tui_desk.config import Config
from tui_desk.services.doctor.common import NETWORK_TIMEOUT, Check
from tui_desk.store.db import StoreError


# -- configuration against the database --------------------------------------------------------
def check_workstations(cfg: Config) -> Check | None:
    """Every SSH client address belongs to one workstation: a client listed under two (or in
    two overlapping networks) would always get the first one's printers."""
    import ipaddress

    if not cfg.workstations:
        return None
    seen: list[tuple[str, ipaddress.IPv4Network | ipaddress.IPv6Network]] = []
    problems = []
    for ws in cfg.workstations:
        for client in ws.clients:
            network = ipaddress.ip_network(client, strict=False)
            for other, known in seen:
                if other != ws.name and network.version == known.version and \
                        network.overlaps(known):
                    problems.append(f"{client} van {ws.name} valt ook onder {other} "
                                    f"({known}); die werkplek wint")
            seen.append((ws.name, network))
    if problems:
        return Check("Werkplekken", False, "; ".join(problems) + ".")
    return Check("Werkplekken", True, f"{len(cfg.workstations)} werkplek(ken), elk adres "
                                      "hoort bij één werkplek")


def check_staff(cfg: Config, path: Path, *, demo: bool) -> list[Check]:
    """The staff in the database against the configuration: their branch is configured (else
    their register and card numbers are of a branch that is gone), someone holds a role of
    ``[settlement] waive_roles`` (else nobody can waive), the demo's ``auto_sign_in`` exists."""
    from tui_desk.store.health import active_staff

    try:
        staff = active_staff(path)
    except StoreError:
        return []  # the database check says what is wrong with the file
    if not staff:
        return [Check("Medewerkers", True, "nog geen medewerkers (tui-desk staff add)")]
    checks = []
    codes = {b.code for b in cfg.branches}
    lost = [s for s in staff if s.branch_code not in codes]
    if lost:
        names = ", ".join(f"{s.username} ({s.branch_code})" for s in lost[:5])
        more = f" en nog {len(lost) - 5}" if len(lost) > 5 else ""
        checks.append(Check("Medewerkers", False,
                            f"vestiging niet in [[branches]]: {names}{more}; voeg de vestiging "
                            "weer toe of geef hen een andere."))
    else:
        checks.append(Check("Medewerkers", True, f"{len(staff)} actief, elk van een "
                                                 "geconfigureerde vestiging"))
    roles = cfg.settlement.waive_roles
    if not roles:
        checks.append(Check("Kwijtschelden", True, "[settlement] waive_roles is leeg: niemand "
                                                   "mag kwijtschelden"))
    else:
        allowed = [s for s in staff if s.roles & set(roles)]
        shown = ", ".join(roles)
        checks.append(
            Check("Kwijtschelden", True, f"{len(allowed)} medewerker(s) met rol {shown}")
            if allowed else
            Check("Kwijtschelden", False, f"geen actieve medewerker heeft een rol uit "
                                          f"[settlement] waive_roles ({shown}): niemand kan "
                                          "kwijtschelden."))
    if demo and cfg.demo_auto_sign_in and not any(
            s.username == cfg.demo_auto_sign_in for s in staff):
        checks.append(Check("Oefenomgeving", False,
                            f"[demo] auto_sign_in = {cfg.demo_auto_sign_in!r} is geen "
                            "medewerker van de oefendatabase (balie, educatie, beheer)."))
    return checks


# -- mail ----------------------------------------------------------------------------------------
def check_mail(cfg: Config) -> Check:
    mail = cfg.mail
    if not mail.configured:
        return Check("Mailserver", True,
                     "geen [mail] host: e-mail blijft in de wachtrij en wordt niet verzonden.")
    from tui_desk.services.mailer import check_connection

    # greet (STARTTLS/TLS) and log in, send nothing
    problem = check_connection(dataclasses.replace(mail,
                                                   timeout=min(mail.timeout, NETWORK_TIMEOUT)))
    if problem is not None:
        return Check("Mailserver", False, problem)
    login = f", ingelogd als {mail.username}" if mail.username else ""
    return Check("Mailserver", True, f"{mail.host}:{mail.port} bereikbaar ({mail.security}"
                                     f"{login})")


# -- privacy ---------------------------------------------------------------------------------
def check_privacy(cfg: Config, path: Path, now: dt.datetime | None = None) -> Check:
    """The privacy figures: what is kept beyond its retention term (README "Privacy").
    Reported, not a failure: ``tui-desk maintenance`` clears it on its next run."""
    from tui_desk.services.privacy import figures
    from tui_desk.store.health import open_read_only

    try:
        db = open_read_only(path)
    except Exception as exc:
        return Check("Privacy", False, f"niet te lezen: {exc}")
    try:
        found = figures(db, now or dt.datetime.now(), cfg.privacy)
    except Exception as exc:
        return Check("Privacy", True, f"geen cijfers ({exc}); start het programma eerst")
    finally:
        db.close()
    return Check("Privacy", True, "; ".join(found.lines()) + (
        " (tui-desk maintenance ruimt het op)" if found.beyond else ""))
