-- A session also ends after hours without use, and says which browser it is, so its user can
-- see their sessions and end the ones they do not recognise.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
