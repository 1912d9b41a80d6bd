-- The audit log is append-only, enforced twice (docs/decisions/004-accounts-and-audit.md):
-- 1. a trigger refuses UPDATE, DELETE and TRUNCATE for every role, the owner included, until a
--    superuser disables it (which PostgreSQL itself can log);
-- 2. the application role `portal_app` is granted INSERT and SELECT on it but never UPDATE or
--    DELETE. The app connects as a login role that is a member of portal_app.
-- Role statements are skipped with a notice where the migrating user may not create roles
-- (a managed server, or PGlite built without roles): the trigger still holds there.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (監査ログは変更・削除できません): % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_app') THEN
    CREATE ROLE portal_app NOLOGIN;
  END IF;
EXCEPTION
  -- Another database on the same server created it concurrently, or we may not create roles.
  WHEN duplicate_object THEN NULL;
  WHEN insufficient_privilege THEN
    RAISE NOTICE 'role portal_app not created (no CREATEROLE): create it and re-run the grants of migration 0002 by hand';
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_app') THEN
    GRANT USAGE ON SCHEMA public TO portal_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portal_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO portal_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM portal_app;
    -- Tables of later migrations (created by this same migrating role) get the usual grants;
    -- a later sensitive append-only table must REVOKE as this migration does.
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portal_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO portal_app;
  END IF;
EXCEPTION
  WHEN insufficient_privilege THEN
    RAISE NOTICE 'grants for portal_app not applied (not the owner): apply the grants of migration 0002 by hand';
END
$$;
