"""Configuration from a TOML file.

Where the file is found, in order: ``--config PATH``, ``$TUI_DESK_CONFIG``,
``/etc/tui-desk/config.toml``, ``~/.config/tui-desk/config.toml``. A production run needs one;
``--demo`` runs without one on the built-in training library (``data/demo-config.toml``).
Every problem is reported with the key it concerns, e.g. ``branches[1].code``.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

SYSTEM_CONFIG = Path("/etc/tui-desk/config.toml")


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tui-desk" / "config.toml"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tui-desk"


class ConfigError(Exception):
    """A configuration problem, naming the file, the key and what is wrong."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        # Problems with the command line itself carry no file name.
        where = "" if source == "tui-desk" else f"{source}: "
        super().__init__(f"{where}{key}: {problem}")


@dataclass(frozen=True)
class Branch:
    code: str
    name: str
    place: str
    registers: tuple[str, ...]


@dataclass(frozen=True)
class Workstation:
    name: str
    branch: str
    clients: tuple[str, ...] = ()
    register: str | None = None


@dataclass(frozen=True)
class Library:
    name: str
    address: str = ""
    postcode: str = ""
    place: str = ""


MAIL_SECURITY = ("starttls", "tls", "none")
_MAIL_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_ACTIVATION_URL = "https://mijn.bibliotheek.nl/activeren"


@dataclass(frozen=True)
class MailSettings:
    """``[mail]``: the SMTP server the outbox delivers through.

    Without ``host`` nothing is sent: mail stays in the outbox (as in the training database).
    """

    host: str = ""
    port: int = 587
    security: str = "starttls"          # starttls | tls (implicit TLS, "SMTPS") | none
    username: str = ""
    password: str = field(default="", repr=False)
    password_file: Path | None = None
    sender: str = ""
    sender_name: str = ""
    # where the activation link points; the token is added as ?token=...
    activation_url: str = DEFAULT_ACTIVATION_URL
    timeout: float = 10.0
    # a CA certificate (PEM) to trust for a relay with a certificate of its own
    ca_file: Path | None = None
    source: str = field(default="", repr=False, compare=False)

    @property
    def configured(self) -> bool:
        return bool(self.host)

    def secret(self) -> str:
        """The SMTP password: ``password``, or the first line of ``password_file``.

        The file is read only when mail is sent, so that counter sessions need not read it.
        """
        if self.password_file is None:
            return self.password
        try:
            text = self.password_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(self.source, "mail.password_file",
                              f"{self.password_file} cannot be read: {exc.strerror}") from None
        return text.splitlines()[0].strip() if text.strip() else ""


@dataclass(frozen=True)
class IdentitySettings:
    """``[identity]``: which login-account (Single Identity) service to use.

    Only ``local`` exists: the embedded SQLite implementation (demo, training, and until a
    connection to the national service is written).
    """

    provider: str = "local"


@dataclass(frozen=True)
class Config:
    source: str
    library: Library
    database: Path
    demo_database: Path
    demo_auto_sign_in: str | None
    branches: tuple[Branch, ...]
    workstations: tuple[Workstation, ...] = ()
    mail: MailSettings = field(default_factory=MailSettings)
    identity: IdentitySettings = field(default_factory=IdentitySettings)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def branch(self, code: str) -> Branch | None:
        return next((b for b in self.branches if b.code == code), None)


class _Reader:
    """Typed access to a TOML table that reports the full key on every error."""

    def __init__(self, source: str, table: dict[str, Any], prefix: str = "") -> None:
        self.source = source
        self.table = table
        self.prefix = prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.source, self.key(name), problem)

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        if name not in self.table:
            if required:
                raise self.fail(name, "is missing")
            return default
        value = self.table[name]
        if not isinstance(value, str):
            raise self.fail(name, f"must be text, not {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(name, "must not be empty")
        return value

    def table_(self, name: str) -> _Reader:
        value = self.table.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, "must be a table")
        return _Reader(self.source, value, f"{self.key(name)}.")

    def tables(self, name: str) -> list[_Reader]:
        value = self.table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"must be a list of tables ([[{name}]])")
        return [_Reader(self.source, v, f"{self.key(name)}[{i}].") for i, v in enumerate(value)]

    def number(self, name: str, default: float, *, minimum: float, maximum: float,
               integer: bool = False) -> float:
        if name not in self.table:
            return default
        value = self.table[name]
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise self.fail(name, f"must be {'a whole number' if integer else 'a number'}, "
                                  f"not {type(value).__name__}")
        if not minimum <= value <= maximum:
            raise self.fail(name, f"must be between {minimum} and {maximum}, not {value}")
        return value

    def str_list(self, name: str) -> tuple[str, ...]:
        value = self.table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(name, "must be a list of text values")
        return tuple(value)


_BRANCH_CODE = re.compile(r"^[0-9]{4}$")


def _path(reader: _Reader, name: str, default: Path, base: Path | None) -> Path:
    text = reader.str(name)
    if text is None:
        return default
    path = Path(os.path.expandvars(text)).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _optional_path(reader: _Reader, name: str, base: Path | None) -> Path | None:
    return _path(reader, name, Path(), base) if name in reader.table else None


def _mail(top: _Reader, library: Library, base: Path | None) -> MailSettings:
    mail = top.table_("mail")
    host = (mail.str("host", "") or "").strip()
    security = mail.str("security", "starttls") or ""
    if security not in MAIL_SECURITY:
        raise mail.fail("security", f"must be one of {', '.join(MAIL_SECURITY)}, not {security!r}")
    port = int(mail.number("port", _MAIL_PORTS[security], minimum=1, maximum=65535,
                           integer=True))
    username = mail.str("username", "") or ""
    password = mail.str("password")
    password_file = _optional_path(mail, "password_file", base)
    if password is not None and password_file is not None:
        raise mail.fail("password", "give password or password_file, not both")
    if username and security == "none":
        raise mail.fail("username", 'a login needs security = "starttls" or "tls"')
    if (password is not None or password_file is not None) and not username:
        raise mail.fail("username", "is missing (a password is set)")
    sender = (mail.str("sender", "") or "").strip()
    if host and not sender:
        raise mail.fail("sender", "is missing (needed when mail.host is set)")
    if sender and (sender.count("@") != 1 or any(c.isspace() for c in sender)
                   or sender.startswith("@") or sender.endswith("@")):
        raise mail.fail("sender", f"is not an e-mail address: {sender!r}")
    url = (mail.str("activation_url", DEFAULT_ACTIVATION_URL) or "").strip()
    if not re.match(r"^https?://[^\s/?#]+", url) or "#" in url:
        raise mail.fail("activation_url", f"must be an http(s) address without #, not {url!r}")
    return MailSettings(
        host=host,
        port=port,
        security=security,
        username=username,
        password=password or "",
        password_file=password_file,
        sender=sender,
        sender_name=mail.str("sender_name", library.name) or "",
        activation_url=url,
        timeout=float(mail.number("timeout", 10.0, minimum=0.1, maximum=300)),
        ca_file=_optional_path(mail, "ca_file", base),
        source=top.source,
    )


def _identity(top: _Reader) -> IdentitySettings:
    identity = top.table_("identity")
    provider = identity.str("provider", "local") or ""
    if provider != "local":
        raise identity.fail("provider", f'only "local" is available, not {provider!r}')
    return IdentitySettings(provider=provider)


def parse(data: dict[str, Any], source: str, base: Path | None = None) -> Config:
    """Build a Config from parsed TOML, validating every key it uses."""
    top = _Reader(source, data)
    lib = top.table_("library")
    library = Library(
        name=lib.str("name", required=True) or "",
        address=lib.str("address", "") or "",
        postcode=lib.str("postcode", "") or "",
        place=lib.str("place", "") or "",
    )
    db = top.table_("database")
    database = _path(db, "path", default_data_dir() / "tui-desk.sqlite3", base)
    demo = top.table_("demo")
    demo_database = _path(demo, "path", default_data_dir() / "demo.sqlite3", base)
    auto = demo.str("auto_sign_in", "balie")

    branches: list[Branch] = []
    for reader in top.tables("branches"):
        code = reader.str("code", required=True) or ""
        if not _BRANCH_CODE.match(code):
            raise reader.fail("code", f"must be four digits, not {code!r}")
        if any(b.code == code for b in branches):
            raise reader.fail("code", f"branch {code} is listed twice")
        name = reader.str("name", required=True) or ""
        registers = reader.str_list("registers") or (f"Kas {name}",)
        branches.append(Branch(code, name, reader.str("place", name.upper()) or "", registers))
    if not branches:
        raise ConfigError(source, "branches", "at least one [[branches]] entry is needed")

    known = {b.code for b in branches}
    workstations: list[Workstation] = []
    for reader in top.tables("workstations"):
        name = reader.str("name", required=True) or ""
        branch = reader.str("branch", required=True) or ""
        if branch not in known:
            raise reader.fail("branch", f"unknown branch {branch!r} (not in [[branches]])")
        register = reader.str("register")
        if register is not None:
            registers = next(b.registers for b in branches if b.code == branch)
            if register not in registers:
                raise reader.fail("register", f"{register!r} is not a register of branch {branch}")
        workstations.append(Workstation(name, branch, reader.str_list("clients"), register))

    return Config(
        source=source,
        library=library,
        database=database,
        demo_database=demo_database,
        demo_auto_sign_in=auto or None,
        branches=tuple(branches),
        workstations=tuple(workstations),
        mail=_mail(top, library, base),
        identity=_identity(top),
        raw=data,
    )


def load_file(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "(file)", "does not exist") from None
    except OSError as exc:
        raise ConfigError(str(path), "(file)", f"cannot be read: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "(syntax)", str(exc)) from None
    return parse(data, str(path), path.parent)


def demo_config() -> Config:
    """The built-in training library: the branches of the manual (9401 Annen and others)."""
    text = resources.files("tui_desk.data").joinpath("demo-config.toml").read_text("utf-8")
    return parse(tomllib.loads(text), "demo-config.toml (built in)")


def find_config(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("TUI_DESK_CONFIG")
    if env:
        return Path(env).expanduser()
    for candidate in (SYSTEM_CONFIG, user_config_path()):
        if candidate.is_file():
            return candidate
    return None


def load(explicit: str | None, *, demo: bool) -> Config:
    """The configuration for this run.

    In demo mode the training library comes from the built-in demo config; a real config file,
    when there is one, only contributes its ``[demo]`` and ``[[workstations]]`` settings.
    """
    path = find_config(explicit)
    if demo:
        base = demo_config()
        if path is None:
            return base
        own = load_file(path)
        merged = dict(base.raw)
        if "demo" in own.raw:
            merged["demo"] = own.raw["demo"]
        cfg = parse(merged, f"{own.source} (demo)", path.parent)
        return cfg
    if path is None:
        raise ConfigError(
            "tui-desk",
            "--config",
            "no configuration file found (looked at $TUI_DESK_CONFIG, "
            f"{SYSTEM_CONFIG} and {user_config_path()}); see README 'Configuration', "
            "or start the training database with --demo",
        )
    return load_file(path)
