"""Head office owns the shared catalog; a booth's catalog change is a proposal.

``catalog_version`` gets a ``status``: ``published`` (head office's), ``applied`` (a booth's
change applied at once), ``proposed``, ``accepted``, ``rejected`` (with ``decided_by``,
``decided_at``, ``reason``), a short number ``no`` to name it by, the ``event_scope`` it was
applied with and ``decides`` (the proposal a head office row accepts or rejects).

A booth may insert only the version's own columns (not its status), so every booth version
goes through one BEFORE INSERT trigger, which decides:

* **refused** (``check_violation``: the booth's push quarantines that one record): moving a
  product to another facility, any change of a facility's settlement percentages, a price
  of 0 or less, a text with a control character or longer than its column (the booth's
  own entry rules, ``pos_app/domain/text.py``), a blank name, a revision jump past
  ``MAX_JUMP``;
* **applied** at once only when it is a product new centrally that the booth itself made
  (``payload.device_id`` its own), whose facility and category exist centrally, while the
  booth's own ``device`` row names its event: the product is then scoped to that event
  (``product.event_scope``; booths of other events, by name as head office's export
  counts events, do not see it). The booth may keep
  editing it (not its facility) until head office accepts it (scope cleared);
* **rejected** at once when it is not newer than the current row and says the same (a
  second booth's copy of the catalog it started with): nothing to decide;
* otherwise **proposed**: stored, nothing changes.

Head office (a login granted ``lapak_catalog``, which also reads as ``lapak_head_office``) acts through SECURITY DEFINER functions
granted to that role only: publish, accept, reject, revert, revert a device. Each writes
one ``published`` version at a revision above every version of the row, so every booth,
the proposer included, pulls it.

Revision ID: c0009
Revises: c0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "c0009"
down_revision = "c0008"
branch_labels = None
depends_on = None

HEAD_OFFICE = "lapak_head_office"
CATALOG_EDITOR = "lapak_catalog"  # head office's catalog editors: publish, decide, revert
DEVICE = "lapak_device"
MAX_JUMP = 1000
MAX_PAYLOAD_BYTES = 256 * 1024  # c0005's
LOCK_WAIT = "5s"  # as c0005: the catalog's advisory lock is waited for 5 s at most
HEAD_OFFICE_DEVICE = "00000000-0000-0000-0000-000000000000"
STATUSES = ("published", "applied", "proposed", "accepted", "rejected")
BOOTH_COLUMNS = ("id", "device_id", "seq", "created_at", "table_name", "row_id", "revision",
                 "payload")
OWN_DEVICE = ("(SELECT r.device_id FROM device_role r"
              " WHERE r.role_name = current_user AND r.revoked_at IS NULL)")
# control characters, line/paragraph separators, bidi overrides and isolates (domain/text.py)
CONTROL = r"[\x01-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]"
TEXTS = {"product": (("sku", 32), ("barcode", 32), ("name", 160), ("image", 255),
                     ("tax_mode", 8)),
         "facility": (("code", 32), ("name", 160), ("kind", 8), ("region", 80)),
         "category": (("code", 32), ("name", 80))}
SHARES = ("pnbp_bp", "premi_bp", "modal_bp", "program_bp")


def _limits() -> str:
    return ", ".join(f"('{t}', '{k}', {n})" for t, cols in TEXTS.items() for k, n in cols)


FUNCTIONS = r"""
CREATE FUNCTION lapak_catalog_check(t text, p jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    bad text;
BEGIN
    IF jsonb_typeof(p) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'a catalog version''s payload must be an object'
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT e.key INTO bad FROM jsonb_each(p) e
     WHERE jsonb_typeof(e.value) = 'string' AND e.value #>> '{}' ~ '{control}' LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'catalog %: % holds a control character', t, bad
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT l.k INTO bad FROM (VALUES {limits}) AS l(tab, k, n)
     WHERE l.tab = t AND char_length(p ->> l.k) > l.n LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'catalog %: % is too long', t, bad USING ERRCODE = 'check_violation';
    END IF;
    IF btrim(coalesce(p ->> 'name', '')) = '' THEN
        RAISE EXCEPTION 'catalog %: the name is blank', t USING ERRCODE = 'check_violation';
    END IF;
    IF t = 'product' AND (jsonb_typeof(p -> 'price') IS DISTINCT FROM 'number'
                          OR (p ->> 'price')::numeric <= 0) THEN
        RAISE EXCEPTION 'catalog product: the price must be above 0'
            USING ERRCODE = 'check_violation';
    END IF;
END
$fn$;

CREATE FUNCTION lapak_catalog_put(t text, rid uuid, rev bigint, vid uuid, payload jsonb,
                                  made_by uuid, made_at timestamptz, scope uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    creator uuid;
    creator_seq bigint;
    born timestamptz;
BEGIN
    EXECUTE format('SELECT device_id, seq, created_at FROM %I WHERE id = $1', t)
        INTO creator, creator_seq, born USING rid;
    EXECUTE format('DELETE FROM %I WHERE id = $1', t) USING rid;
    -- who made the row (device, its sequence, when) is the creator's and stays
    EXECUTE format('INSERT INTO %1$I SELECT * FROM jsonb_populate_record(NULL::%1$I, $1)', t)
        USING payload || jsonb_build_object(
            'id', rid, 'revision', rev, 'central_seq', nextval('catalog_seq'),
            'version_id', vid, 'event_scope', scope,
            'device_id', coalesce(creator, made_by),
            'seq', CASE WHEN creator IS NULL THEN payload -> 'seq' ELSE to_jsonb(creator_seq) END,
            'created_at', CASE WHEN creator IS NULL
                THEN coalesce(payload -> 'created_at', to_jsonb(made_at)) ELSE to_jsonb(born) END);
END
$fn$;

CREATE OR REPLACE FUNCTION lapak_apply_catalog_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp
SET lock_timeout = '{lock_wait}' AS $fn$
DECLARE
    cur jsonb;
    cur_rev bigint;
    booth_event uuid;
    p jsonb := NEW.payload;
BEGIN
    -- One catalog change at a time, until COMMIT (central_seq in commit order).
    PERFORM pg_advisory_xact_lock(hashtextextended('lapak_catalog_version', 0));
    IF EXISTS (SELECT 1 FROM catalog_version v WHERE v.id = NEW.id) THEN
        RETURN NEW;  -- a re-send: ON CONFLICT (or the primary key) decides, nothing applied
    END IF;
    EXECUTE format('SELECT to_jsonb(c) FROM %I c WHERE id = $1', NEW.table_name)
        INTO cur USING NEW.row_id;
    IF NEW.status = 'published' THEN  -- head office's (booths cannot set a status)
        PERFORM lapak_catalog_put(NEW.table_name, NEW.row_id, NEW.revision, NEW.id, p,
                                  coalesce((p ->> 'device_id')::uuid, NEW.device_id),
                                  NEW.created_at, NEW.event_scope);
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM device_role r WHERE r.role_name = session_user) AND NOT EXISTS (
            SELECT 1 FROM device_role r WHERE r.role_name = session_user
               AND r.device_id = NEW.device_id AND r.revoked_at IS NULL) THEN
        RETURN NEW;  -- a booth writing as another: the row-level security refuses it
    END IF;
    -- a booth's version (sent, or imported from its bundle): it decides nothing itself
    NEW.status := 'proposed';
    NEW.event_scope := NULL;
    NEW.decided_by := NULL;
    NEW.decided_at := NULL;
    NEW.reason := NULL;
    NEW.decides := NULL;
    cur_rev := (cur ->> 'revision')::bigint;
    IF NEW.revision > coalesce(cur_rev, 0) + {max_jump} THEN
        RAISE EXCEPTION 'catalog revision % is more than {max_jump} past %', NEW.revision,
            coalesce(cur_rev, 0) USING ERRCODE = 'check_violation';
    END IF;
    IF octet_length(p::text) > {max_payload} THEN
        RETURN NEW;  -- the size CHECK of c0005 refuses it, by its own name
    END IF;
    PERFORM lapak_catalog_check(NEW.table_name, p);
    IF cur IS NOT NULL THEN
        IF NEW.table_name = 'product'
                AND (p ->> 'facility_id') IS DISTINCT FROM (cur ->> 'facility_id') THEN
            RAISE EXCEPTION 'a booth cannot move a product to another facility'
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.table_name = 'facility' AND EXISTS (
                SELECT 1 FROM unnest(ARRAY['pnbp_bp','premi_bp','modal_bp','program_bp']) k
                 WHERE (p -> k) IS DISTINCT FROM (cur -> k)) THEN
            RAISE EXCEPTION 'a booth cannot change a facility''s settlement shares'
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.revision <= cur_rev AND (p - ARRAY['id', 'device_id', 'seq', 'created_at',
                'updated_at', 'revision', 'central_seq', 'version_id', 'event_scope']) <@ cur THEN
            NEW.status := 'rejected';  -- what is current already: nothing to decide
            NEW.decided_at := now();
            NEW.reason := 'the same as the current row';
            RETURN NEW;
        END IF;
        IF NEW.table_name = 'product' AND NEW.revision > cur_rev
                AND cur ->> 'event_scope' IS NOT NULL
                AND (cur ->> 'device_id')::uuid = NEW.device_id
                AND EXISTS (SELECT 1 FROM catalog_version cv
                             WHERE cv.id = (cur ->> 'version_id')::uuid
                               AND cv.status = 'applied' AND cv.device_id = NEW.device_id) THEN
            -- (once head office has written the row - revert, reject - it is head office's)
            -- the booth's own product, not accepted yet: still its own to edit
            NEW.status := 'applied';
            NEW.event_scope := (cur ->> 'event_scope')::uuid;
            PERFORM lapak_catalog_put(NEW.table_name, NEW.row_id, NEW.revision, NEW.id, p,
                                      NEW.device_id, NEW.created_at, NEW.event_scope);
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.table_name = 'product' AND (p ->> 'device_id') = NEW.device_id::text
            AND EXISTS (SELECT 1 FROM facility f WHERE f.id::text = p ->> 'facility_id')
            AND EXISTS (SELECT 1 FROM category c WHERE c.id::text = p ->> 'category_id') THEN
        SELECT d.event_id INTO booth_event FROM device d
         WHERE d.id = NEW.device_id AND d.device_id = NEW.device_id;
        IF booth_event IS NOT NULL THEN
            NEW.status := 'applied';
            NEW.event_scope := booth_event;
            PERFORM lapak_catalog_put(NEW.table_name, NEW.row_id, NEW.revision, NEW.id, p,
                                      NEW.device_id, NEW.created_at, booth_event);
        END IF;
    END IF;
    RETURN NEW;
END
$fn$;

CREATE FUNCTION lapak_catalog_publish(t text, rid uuid, payload jsonb, why text DEFAULT NULL,
                                      scope uuid DEFAULT NULL, decides uuid DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp
SET lock_timeout = '{lock_wait}' AS $fn$
DECLARE
    top bigint;
    cur_rev bigint;
    made bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('lapak_catalog_version', 0));
    IF t NOT IN ('facility', 'category', 'product') THEN
        RAISE EXCEPTION 'not a catalog table: %', t USING ERRCODE = 'check_violation';
    END IF;
    PERFORM lapak_catalog_check(t, payload);  -- head office's rows keep the same rules
    EXECUTE format('SELECT revision FROM %I WHERE id = $1', t) INTO cur_rev USING rid;
    SELECT max(v.revision) INTO top FROM catalog_version v
     WHERE v.table_name = t AND v.row_id = rid;
    INSERT INTO catalog_version (id, device_id, seq, created_at, table_name, row_id, revision,
                                 payload, status, decided_by, decided_at, reason, event_scope,
                                 decides)
    VALUES (gen_random_uuid(), '{head_office}', NULL, now(), t, rid,
            greatest(coalesce(top, 0), coalesce(cur_rev, 0)) + 1, payload, 'published',
            session_user, now(), left(why, 200), scope, decides)
    RETURNING no INTO made;
    RETURN made;
END
$fn$;

CREATE FUNCTION lapak_catalog_accept(n bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp
SET lock_timeout = '{lock_wait}' AS $fn$
DECLARE
    v catalog_version;
    made bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('lapak_catalog_version', 0));
    SELECT * INTO v FROM catalog_version WHERE no = n FOR UPDATE;
    IF v.id IS NULL OR v.status <> 'proposed' THEN
        RAISE EXCEPTION 'catalog version % is not a proposal', n
            USING ERRCODE = 'no_data_found';
    END IF;
    IF v.table_name = 'product' AND NOT (
            EXISTS (SELECT 1 FROM facility f WHERE f.id::text = v.payload ->> 'facility_id')
            AND EXISTS (SELECT 1 FROM category c WHERE c.id::text = v.payload ->> 'category_id'))
    THEN
        RAISE EXCEPTION 'catalog version % names an unpublished facility or category',
            n USING ERRCODE = 'foreign_key_violation';
    END IF;
    made := lapak_catalog_publish(v.table_name, v.row_id,
                                  v.payload || jsonb_build_object('device_id', v.device_id),
                                  format('accepts %s', n), NULL, v.id);
    UPDATE catalog_version SET status = 'accepted', decided_by = session_user,
           decided_at = now() WHERE id = v.id;
    RETURN made;
END
$fn$;

CREATE FUNCTION lapak_catalog_reject(n bigint, why text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp
SET lock_timeout = '{lock_wait}' AS $fn$
DECLARE
    v catalog_version;
    cur jsonb;
    made bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('lapak_catalog_version', 0));
    SELECT * INTO v FROM catalog_version WHERE no = n FOR UPDATE;
    IF v.id IS NULL OR v.status <> 'proposed' THEN
        RAISE EXCEPTION 'catalog version % is not a proposal', n
            USING ERRCODE = 'no_data_found';
    END IF;
    EXECUTE format('SELECT to_jsonb(c) FROM %I c WHERE id = $1', v.table_name)
        INTO cur USING v.row_id;
    IF cur IS NOT NULL THEN  -- the current row again, above the proposal: pulled back
        made := lapak_catalog_publish(v.table_name, v.row_id, cur,
                                      format('rejects %s: %s', n, why),
                                      (cur ->> 'event_scope')::uuid, v.id);
    END IF;
    UPDATE catalog_version SET status = 'rejected', decided_by = session_user,
           decided_at = now(), reason = left(why, 200) WHERE id = v.id;
    RETURN made;
END
$fn$;

CREATE FUNCTION lapak_catalog_revert(n bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp
SET lock_timeout = '{lock_wait}' AS $fn$
DECLARE
    v catalog_version;
BEGIN
    SELECT * INTO v FROM catalog_version WHERE no = n;
    IF v.id IS NULL OR v.status NOT IN ('published', 'applied', 'accepted') THEN
        RAISE EXCEPTION 'catalog version % was never current', n
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN lapak_catalog_publish(v.table_name, v.row_id, v.payload,
                                 format('reverts to %s', n), v.event_scope, v.id);
END
$fn$;

CREATE FUNCTION lapak_catalog_revert_device(dev uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp
SET lock_timeout = '{lock_wait}' AS $fn$
DECLARE
    r record;
    earlier catalog_version;
    cur jsonb;
    done integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('lapak_catalog_version', 0));
    FOR r IN SELECT v.table_name, v.row_id, v.id FROM catalog_version v
              WHERE v.device_id = dev AND v.status = 'applied' AND EXISTS (
                    SELECT 1 FROM facility x WHERE x.version_id = v.id UNION ALL
                    SELECT 1 FROM category x WHERE x.version_id = v.id UNION ALL
                    SELECT 1 FROM product x WHERE x.version_id = v.id)
              ORDER BY v.no LOOP
        SELECT * INTO earlier FROM catalog_version v
         WHERE v.table_name = r.table_name AND v.row_id = r.row_id AND v.device_id <> dev
           AND v.status IN ('published', 'applied')
         ORDER BY v.no DESC LIMIT 1;
        IF earlier.id IS NOT NULL THEN
            PERFORM lapak_catalog_publish(r.table_name, r.row_id, earlier.payload,
                                          format('reverts device %s', dev),
                                          earlier.event_scope, r.id);
        ELSE  -- the device's own product: taken out of sale where it was
            EXECUTE format('SELECT to_jsonb(c) FROM %I c WHERE id = $1', r.table_name)
                INTO cur USING r.row_id;
            PERFORM lapak_catalog_publish(r.table_name, r.row_id,
                                          cur || '{"active": false}'::jsonb,
                                          format('reverts device %s', dev),
                                          (cur ->> 'event_scope')::uuid, r.id);
        END IF;
        done := done + 1;
    END LOOP;
    RETURN done;
END
$fn$;
"""
HEAD_OFFICE_FUNCTIONS = ("lapak_catalog_publish(text, uuid, jsonb, text, uuid, uuid)",
                         "lapak_catalog_accept(bigint)", "lapak_catalog_reject(bigint, text)",
                         "lapak_catalog_revert(bigint)", "lapak_catalog_revert_device(uuid)")
INTERNAL = ("lapak_catalog_check(text, jsonb)",
            "lapak_catalog_put(text, uuid, bigint, uuid, jsonb, uuid, timestamptz, uuid)")


def upgrade() -> None:
    op.add_column("catalog_version", sa.Column("status", sa.String(9), nullable=False,
                                               server_default="applied"))
    op.alter_column("catalog_version", "status", server_default="proposed")
    op.create_check_constraint("ck_catalog_version_status", "catalog_version",
                               "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")")
    op.add_column("catalog_version", sa.Column("decided_by", sa.String(80)))
    op.add_column("catalog_version", sa.Column("decided_at", sa.DateTime(timezone=True)))
    op.add_column("catalog_version", sa.Column("reason", sa.String(200)))
    op.add_column("catalog_version", sa.Column("event_scope", sa.Uuid()))
    op.add_column("catalog_version", sa.Column("decides", sa.Uuid()))
    op.execute("ALTER TABLE catalog_version ADD COLUMN no bigint GENERATED ALWAYS AS IDENTITY")
    op.create_unique_constraint("uq_catalog_version_no", "catalog_version", ["no"])
    op.create_index("ix_catalog_version_status", "catalog_version", ["status"])
    op.add_column("product", sa.Column("event_scope", sa.Uuid()))

    # a booth inserts a version's own columns only: never its status or decision
    op.execute(f"REVOKE INSERT ON catalog_version FROM {DEVICE}")
    op.execute(f"GRANT INSERT ({', '.join(BOOTH_COLUMNS)}) ON catalog_version TO {DEVICE}")
    # a product scoped to an event is seen by that event's booths only
    op.execute("DROP POLICY device_read ON product")
    # (an event is its name, as head office's export chooses it: every booth made its own
    # event row at init, the booths of one event carry the same name)
    op.execute(f"CREATE POLICY device_read ON product FOR SELECT TO {DEVICE} USING ("
               "event_scope IS NULL OR EXISTS (SELECT 1 FROM device d"
               " JOIN event mine ON mine.id = d.event_id JOIN event scoped"
               " ON lower(scoped.name) = lower(mine.name)"
               f" WHERE d.id = {OWN_DEVICE} AND d.device_id = {OWN_DEVICE}"
               " AND scoped.id = product.event_scope))")
    # the trigger (as the owner) reads a booth's own device row for its event
    op.execute("""DO $$ BEGIN EXECUTE format(
        'CREATE POLICY catalog_authority_read ON device FOR SELECT TO %I USING (true)',
        current_user); END $$""")

    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    op.execute("DROP TRIGGER catalog_version_apply ON catalog_version")
    op.execute(FUNCTIONS.replace("{schema}", '"' + schema.replace('"', '""') + '"')
               .replace("{max_jump}", str(MAX_JUMP)).replace("{lock_wait}", LOCK_WAIT)
               .replace("{control}", CONTROL).replace("{limits}", _limits())
               .replace("{head_office}", HEAD_OFFICE_DEVICE)
               .replace("{max_payload}", str(MAX_PAYLOAD_BYTES)))
    op.execute("CREATE TRIGGER catalog_version_apply BEFORE INSERT ON catalog_version"
               " FOR EACH ROW EXECUTE FUNCTION lapak_apply_catalog_version()")
    for fn in INTERNAL:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    # Deciding the catalog is a power of its own: a report user (lapak_head_office) reads
    # everything and writes nothing; a catalog editor is granted lapak_catalog, which reads
    # as head office does and may call the functions below. Roles are cluster-wide.
    op.execute(f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CATALOG_EDITOR}') THEN
                CREATE ROLE {CATALOG_EDITOR} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
                    NOBYPASSRLS NOREPLICATION;
            END IF;
        END
        $$""")
    op.execute(f"""
        DO $$
        BEGIN  -- once per cluster: another database's migration may have granted it
            IF NOT pg_has_role('{CATALOG_EDITOR}', '{HEAD_OFFICE}', 'MEMBER') THEN
                GRANT {HEAD_OFFICE} TO {CATALOG_EDITOR};
            END IF;
        END
        $$""")
    for fn in HEAD_OFFICE_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {CATALOG_EDITOR}")


def downgrade() -> None:
    for fn in (*HEAD_OFFICE_FUNCTIONS, *INTERNAL):
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP POLICY catalog_authority_read ON device")
    op.execute("DROP POLICY device_read ON product")
    op.execute(f"CREATE POLICY device_read ON product FOR SELECT TO {DEVICE} USING (true)")
    op.execute(f"REVOKE INSERT ON catalog_version FROM {DEVICE}")
    op.execute(f"GRANT INSERT ON catalog_version TO {DEVICE}")
    op.drop_column("product", "event_scope")
    for col in ("no", "decides", "event_scope", "reason", "decided_at", "decided_by",
                "status"):
        op.drop_column("catalog_version", col)
    # the trigger function stays the new one: downgrading further drops it (c0004)
