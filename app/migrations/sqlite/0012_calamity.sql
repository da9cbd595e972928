-- Calamity mode: the site as the town's emergency channel. A calamity is switched on and off
-- by the newsroom (at most one is on); while it is on, official messages from the authorities
-- are published apart from newsroom copy. Messages are never edited: a correction is a new row
-- that names the message it corrects, so the whole history stays. An ended calamity stays as
-- its archive page. The audit log keeps who did what and when.
CREATE TABLE calamities (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    areas           TEXT NOT NULL,
    blog_article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    stream_url      TEXT,
    light_pages     INTEGER NOT NULL DEFAULT 1,
    started_at      INTEGER NOT NULL,
    started_by      TEXT NOT NULL,
    updated_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    ended_by        TEXT
);
-- At most one calamity is on.
CREATE UNIQUE INDEX calamities_one_on ON calamities ((ended_at IS NULL)) WHERE ended_at IS NULL;
CREATE INDEX calamities_by_start ON calamities (started_at);

CREATE TABLE official_messages (
    id          INTEGER PRIMARY KEY,
    calamity_id INTEGER NOT NULL REFERENCES calamities (id) ON DELETE CASCADE,
    authority   TEXT NOT NULL,
    source      TEXT NOT NULL,
    body        TEXT NOT NULL,
    issued_at   INTEGER NOT NULL,
    posted_at   INTEGER NOT NULL,
    posted_by   TEXT NOT NULL,
    corrects_id INTEGER REFERENCES official_messages (id),
    reason      TEXT
);
CREATE INDEX official_messages_by_calamity ON official_messages (calamity_id, issued_at);
-- A message is corrected once; its correction may be corrected in turn.
CREATE UNIQUE INDEX official_messages_corrected_once ON official_messages (corrects_id);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    user_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    user_name TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);
