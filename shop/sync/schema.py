"""The shop server's PostgreSQL schema, as numbered migrations, and its logins.

Who may do what is PostgreSQL's own business, so a kiosk cannot do more than its role
allows even with a modified kiosk program:

- each kiosk logs in as its own role (``kiosk_<id>``, a member of ``untact_kiosk``) with
  its own password; it can only call ``untact_submit`` (which files the order under the
  kiosk that is logged in: ``session_user``, never an id the caller gives), and
  ``untact_heartbeat``, and read the menu and the board of numbers;
- staff logins (``staff_<name>``, members of ``untact_staff``) read and move orders,
  edit the shop's menu, and acknowledge staff calls;
- the owner (the superuser of a local cluster, see local_postgres.py) migrates.

Exactly once: an order's key on the server is (kiosk, local id), and ``untact_submit``
inserts with ``ON CONFLICT`` doing nothing (but marking it paid when it was paid at the
counter since), so a kiosk that resends an order it could not see acknowledged (the
connection dropped after the commit) changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg import sql

#: (version, SQL). Append only: a shipped migration is never edited.
MIGRATIONS: tuple[tuple[int, str], ...] = ((1, """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'untact_kiosk') THEN
    CREATE ROLE untact_kiosk NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'untact_staff') THEN
    CREATE ROLE untact_staff NOLOGIN; END IF;
END $$;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO untact_kiosk, untact_staff;

CREATE TABLE kiosks (
    id        text PRIMARY KEY CHECK (id ~ '^[a-z0-9_]{1,30}$'),
    role      name UNIQUE NOT NULL
);
CREATE SEQUENCE order_changes;
CREATE TABLE orders (
    kiosk       text    NOT NULL REFERENCES kiosks(id),
    local_id    bigint  NOT NULL,                 -- the order's id in the kiosk's SQLite
    day         date    NOT NULL,
    number      integer NOT NULL,
    created_at  timestamp NOT NULL,               -- the kiosk's local time
    lines       jsonb   NOT NULL,
    total       integer NOT NULL CHECK (total >= 0),
    language    text    NOT NULL,
    payment     text    NOT NULL,
    paid        boolean NOT NULL,
    status      text    NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'preparing', 'ready', 'collected')),
    received_at timestamptz NOT NULL DEFAULT now(),
    change      bigint  NOT NULL DEFAULT nextval('order_changes'),
    PRIMARY KEY (kiosk, local_id),
    UNIQUE (day, number)                          -- numbers are the shop's, not a kiosk's
);
CREATE INDEX orders_change ON orders (change);

CREATE FUNCTION orders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN NEW.change := nextval('order_changes'); END IF;
  PERFORM pg_notify('untact_orders', NEW.change::text);
  RETURN NEW;
END $$;
CREATE TRIGGER orders_changed BEFORE INSERT OR UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_changed();

CREATE FUNCTION untact_submit(p_local_id bigint, p_day date, p_number integer,
    p_created_at timestamp, p_lines jsonb, p_total integer, p_language text,
    p_payment text, p_paid boolean) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE k text;
BEGIN
  SELECT id INTO k FROM kiosks WHERE role = session_user;
  IF k IS NULL THEN
    RAISE EXCEPTION 'login % is not a kiosk of this shop', session_user USING ERRCODE = '42501';
  END IF;
  INSERT INTO orders (kiosk, local_id, day, number, created_at, lines, total, language,
                      payment, paid)
  VALUES (k, p_local_id, p_day, p_number, p_created_at, p_lines, p_total, p_language,
          p_payment, p_paid)
  ON CONFLICT (kiosk, local_id) DO UPDATE SET paid = true  -- paid later, at the counter
    WHERE EXCLUDED.paid AND NOT orders.paid;
  -- The same key must be the same order: a kiosk whose database was replaced starts its
  -- ids again, and its new orders must not pass for old ones (and silently vanish).
  IF NOT EXISTS (SELECT 1 FROM orders WHERE kiosk = k AND local_id = p_local_id
                 AND day = p_day AND number = p_number AND created_at = p_created_at) THEN
    RAISE EXCEPTION 'order % of kiosk % is another order on the server: was its orders '
      'database replaced? give the kiosk a new login (untact-sync setup)', p_local_id, k
      USING ERRCODE = 'UX001';
  END IF;
  RETURN true;
END $$;

CREATE SEQUENCE menu_changes;
CREATE TABLE menu_items (
    item_id  text PRIMARY KEY,
    sold_out boolean NOT NULL,
    price    integer NOT NULL,
    name     jsonb   NOT NULL,
    change   bigint  NOT NULL DEFAULT nextval('menu_changes')
);
CREATE FUNCTION menu_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN NEW.change := nextval('menu_changes'); END IF;
  PERFORM pg_notify('untact_menu', NEW.change::text);
  RETURN NEW;
END $$;
CREATE TRIGGER menu_changed BEFORE INSERT OR UPDATE ON menu_items
  FOR EACH ROW EXECUTE FUNCTION menu_changed();

CREATE TABLE kiosk_health (
    kiosk         text PRIMARY KEY REFERENCES kiosks(id),
    seen_at       timestamptz NOT NULL,
    devices       jsonb   NOT NULL,
    outbox        integer NOT NULL,               -- orders not yet forwarded
    call_active   boolean NOT NULL DEFAULT false,
    call_reason   text    NOT NULL DEFAULT '',
    call_count    integer NOT NULL DEFAULT 0,
    call_since    timestamptz,
    ack_requested boolean NOT NULL DEFAULT false
);
-- Returns true when staff acknowledged this kiosk's call: the kiosk then closes it.
CREATE FUNCTION untact_heartbeat(p_devices jsonb, p_outbox integer, p_call_active boolean,
    p_call_reason text, p_call_count integer) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE k text; acked boolean;
BEGIN
  SELECT id INTO k FROM kiosks WHERE role = session_user;
  IF k IS NULL THEN
    RAISE EXCEPTION 'login % is not a kiosk of this shop', session_user USING ERRCODE = '42501';
  END IF;
  INSERT INTO kiosk_health AS h (kiosk, seen_at, devices, outbox) VALUES (k, now(), p_devices, p_outbox)
  ON CONFLICT (kiosk) DO NOTHING;
  SELECT ack_requested INTO acked FROM kiosk_health WHERE kiosk = k FOR UPDATE;
  UPDATE kiosk_health SET seen_at = now(), devices = p_devices, outbox = p_outbox,
      call_active = p_call_active AND NOT acked, call_reason = p_call_reason,
      call_count = p_call_count,
      call_since = CASE WHEN p_call_active AND NOT acked THEN COALESCE(call_since, now()) END,
      ack_requested = false
    WHERE kiosk = k;
  RETURN acked;
END $$;

-- What a kiosk's attract screen may show: numbers not yet collected, nothing else.
CREATE VIEW board AS SELECT day, number, status FROM orders
  WHERE status IN ('new', 'preparing', 'ready');

REVOKE ALL ON FUNCTION untact_submit, untact_heartbeat FROM PUBLIC;
GRANT EXECUTE ON FUNCTION untact_submit, untact_heartbeat TO untact_kiosk;
GRANT SELECT ON menu_items, board TO untact_kiosk;
GRANT SELECT, UPDATE (status, paid) ON orders TO untact_staff;
GRANT SELECT, INSERT, UPDATE ON menu_items TO untact_staff;
GRANT USAGE ON SEQUENCE menu_changes, order_changes TO untact_staff;
GRANT SELECT, UPDATE (ack_requested, call_active) ON kiosk_health TO untact_staff;
GRANT SELECT ON kiosks, board TO untact_staff;
"""),)

_ID = re.compile(r"^[a-z0-9_]{1,30}$")


def migrate(db: psycopg.Connection[tuple[Any, ...]]) -> int:
    """Apply the migrations the database lacks (as the owner); returns the version now.

    An advisory lock makes two starting servers wait for each other, not both migrate."""
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(7261)")
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
        row = db.execute("SELECT max(version) FROM schema_version").fetchone()
        current = int(row[0]) if row and row[0] is not None else 0
        for version, statements in MIGRATIONS:
            if version > current:
                db.execute(statements.encode())
                db.execute("INSERT INTO schema_version VALUES (%s)", (version,))
                current = version
    return current


def _login_id(kind: str, ident: str) -> str:
    if not _ID.match(ident):
        raise ValueError(f"a {kind} id is 1 to 30 of a-z, 0-9 and _, not {ident!r}")
    return f"{kind}_{ident}"


def add_kiosk(db: psycopg.Connection[tuple[Any, ...]], kiosk_id: str, password: str) -> str:
    """Create (or re-key) kiosk ``kiosk_id``'s login; returns the login name."""
    role = _login_id("kiosk", kiosk_id)
    with db.transaction():
        _create_login(db, role, password, "untact_kiosk")
        db.execute("INSERT INTO kiosks (id, role) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING",
                   (kiosk_id, role))
    return role


def add_staff(db: psycopg.Connection[tuple[Any, ...]], name: str, password: str) -> str:
    """Create (or re-key) a staff login (the counter tablet's web app); returns its name."""
    role = _login_id("staff", name)
    with db.transaction():
        _create_login(db, role, password, "untact_staff")
    return role


def _create_login(db: psycopg.Connection[tuple[Any, ...]], role: str, password: str,
                  group: str) -> None:
    if len(password) < 12:
        raise ValueError("a login's password must have at least 12 characters")
    exists = db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
    db.execute(sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
        verb, sql.Identifier(role), sql.Literal(password)))
    db.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(role)))


__all__ = ["MIGRATIONS", "add_kiosk", "add_staff", "migrate"]
