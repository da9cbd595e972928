-- Client addresses are stored as HMACs under a key of the day; keys are deleted after two
-- days, and with them the meaning of every hash made under them (see app/src/clients.rs).
CREATE TABLE client_keys (
    day    INTEGER PRIMARY KEY,
    secret TEXT NOT NULL
);
-- Hashes made before keys rotated were salted with a secret that never changed: forget them.
UPDATE comments SET ip_hash = '';
UPDATE inbox_messages SET ip_hash = '';
DELETE FROM comment_bans WHERE kind = 'ip';
