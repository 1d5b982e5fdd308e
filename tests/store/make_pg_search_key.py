"""Writes PostgreSQL's tui_fold / tui_normalise_prefix / tui_search_key (the SQL in
tui_desk/store/migrations/postgresql/0011_open_registrations.sql) from tui_desk.rules.names and
Python's Unicode tables. When rules.names changes the search key, a new migration recomputes
the keys on both engines: on PostgreSQL with the functions this prints, made again
(CREATE OR REPLACE). tests/store/test_pg_schema.py checks them against Python.

    python -m tests.store.make_pg_search_key > functions.sql
"""
# ruff: noqa
import sys, unicodedata
from tui_desk.rules import names

MAX = 0x110000
def cps():
    return (cp for cp in range(MAX) if not 0xD800 <= cp <= 0xDFFF)
def ranges(pred):
    out = []; start = None; prev = None
    for cp in cps():
        ok = pred(chr(cp))
        if ok and start is None: start = cp
        if (not ok) and start is not None:
            out.append((start, prev)); start = None
        prev = cp
    if start is not None: out.append((start, prev))
    return out
def esc(cp):
    ch = chr(cp)
    if 0x20 < cp < 0x7f and ch.isalnum():
        return ch
    return f"\\u{cp:04x}" if cp <= 0xffff else f"\\U{cp:08x}"
def cls(rs):
    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in rs)
def lit(s):
    return "'" + s.replace("'", "''") + "'"
def e_lit(s):  # escape-string literal: every non-ASCII char as \\uXXXX
    out = []
    for ch in s:
        cp = ord(ch)
        if 0x20 <= cp < 0x7f and ch not in "'\\":
            out.append(ch)
        elif ch == "'":
            out.append("\\'")
        elif ch == "\\":
            out.append("\\\\")
        else:
            out.append(f"\\u{cp:04x}" if cp <= 0xffff else f"\\U{cp:08x}")
    return "E'" + "".join(out) + "'"

combining = ranges(lambda c: unicodedata.combining(c) != 0)
kept = ranges(lambda c: unicodedata.category(c)[0] in "LMN")
word = ranges(lambda c: c.isalnum() or c == "_")
spaces = "".join(chr(cp) for cp in cps() if chr(cp).isspace())
one_from, one_to, multi = [], [], []
for cp in cps():
    c = chr(cp); f = c.casefold()
    if f != c:
        if len(f) == 1: one_from.append(c); one_to.append(f)
        else: multi.append((c, f))
letters = list(names._LETTERS.items())
plain = list(names._PLAIN.items())

def chain(x, pairs):
    for a, b in pairs:
        a = a if isinstance(a, str) else chr(a)
        x = f"replace({x}, {e_lit(a)}, {e_lit(b)})"
    return x

space_cls = cls([(ord(c), ord(c)) for c in spaces])
fold = f"""-- tui_fold(text): rules.names.fold, step by step as Python does it: the letters without a
-- decomposition (_LETTERS), NFKD, combining marks dropped, case folded (str.casefold: the
-- translate() for one-letter folds, replace() for the longer ones), _LETTERS again, everything
-- but letters, marks, digits, ' and space to a space, spaces collapsed. The character classes
-- are Python's (unicodedata {unicodedata.unidata_version}), written out: PostgreSQL's own classes
-- follow the database's locale.
CREATE FUNCTION tui_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $fold$
SELECT btrim(regexp_replace(regexp_replace(
    {chain(chain(f"translate(regexp_replace(normalize({chain('$1', letters)}, NFKD), {e_lit('[' + cls(combining) + ']')}, '', 'g'), {e_lit(''.join(one_from))}, {e_lit(''.join(one_to))})", multi), letters)},
    {e_lit("[^' " + cls(kept) + "]")}, ' ', 'g'), ' +', ' ', 'g'), ' ')
$fold$;
"""
prefixes = ", ".join(lit(p) for p in names.PREFIXES)
abbrev_when = "\n".join(f"        WHEN {lit(k)} THEN {lit(v)}" for k, v in names._ABBREVIATIONS.items())
norm = f"""-- tui_normalise_prefix(text): rules.names.normalise_prefix (spaces collapsed, lower case,
-- the abbreviations staff type written out).
CREATE FUNCTION tui_normalise_prefix(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $prefix$
SELECT CASE t
{abbrev_when}
        ELSE t END
FROM (SELECT lower(regexp_replace(btrim($1, {e_lit(spaces)}), {e_lit('[' + space_cls + ']+')}, ' ', 'g')) AS t) AS typed
$prefix$;
"""
key = f"""-- tui_search_key(text): rules.names.search_key, the key customers are found by (the SQLite
-- connection has it as a Python function): terminal control sequences out, the prefix split
-- off as split_prefix does (typographic quotes and dashes made plain, d' written against the
-- name split off like "de"), the rest folded. tests/store/test_pg_schema.py checks it against
-- the Python function.
CREATE FUNCTION tui_search_key(surname text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $key$
DECLARE
    prefixes CONSTANT text[] := ARRAY[{prefixes}];
    name text := COALESCE(surname, '');
    words text[];
    lowered text[];
    candidate text;
    bare text;
BEGIN
    name := regexp_replace(name, E'\\\\u001b\\\\[[0-9;?]*[ -/]*[@-~]|\\\\u001b.|[\\\\u0001-\\\\u001f\\\\u007f]', '', 'g');
    name := {chain('name', plain)};
    name := regexp_replace(name, {e_lit('(^|[' + space_cls + '])[dD]' + "'" + '(?=[' + cls(word) + '])')}, E'\\\\1d\\' ', 'g');
    bare := btrim(name, {e_lit(spaces)});
    IF bare <> '' THEN
        words := regexp_split_to_array(bare, {e_lit('[' + space_cls + ']+')});
        SELECT array_agg(tui_normalise_prefix(w) ORDER BY i) INTO lowered
            FROM unnest(words) WITH ORDINALITY AS u(w, i);
        FOR n IN REVERSE cardinality(words) - 1 .. 1 LOOP
            candidate := tui_normalise_prefix(array_to_string(words[1:n], ' '));
            IF candidate = ANY (prefixes) OR lowered[1:n] <@ prefixes THEN
                bare := array_to_string(words[n + 1:], ' ');
                EXIT;
            END IF;
        END LOOP;
    END IF;
    RETURN tui_fold(bare);
END
$key$;
"""
print(fold); print(norm); print(key)
print(f"{len(combining)} {len(kept)} {len(word)} {len(one_from)} {len(multi)}", file=sys.stderr)
