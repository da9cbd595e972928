-- Calamity mode: the site as the town's emergency channel. A calamity is switched on and off
-- by the newsroom (at most one is on); while it is on, official messages from the authorities
-- are published apart from newsroom copy. Messages are never edited: a correction is a new row
-- that names the message it corrects, so the whole history stays. An ended calamity stays as
-- its archive page. The audit log keeps who did what and when.
CREATE TABLE calamities (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title           TEXT NOT NULL,
    areas           TEXT NOT NULL,
    blog_article_id BIGINT REFERENCES articles (id) ON DELETE SET NULL,
    stream_url      TEXT,
    light_pages     BIGINT NOT NULL DEFAULT 1,
    started_at      BIGINT NOT NULL,
    started_by      TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    ended_at        BIGINT,
    ended_by        TEXT
);
-- At most one calamity is on.
CREATE UNIQUE INDEX calamities_one_on ON calamities ((ended_at IS NULL)) WHERE ended_at IS NULL;
CREATE INDEX calamities_by_start ON calamities (started_at);

CREATE TABLE official_messages (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    calamity_id BIGINT NOT NULL REFERENCES calamities (id) ON DELETE CASCADE,
    authority   TEXT NOT NULL,
    source      TEXT NOT NULL,
    body        TEXT NOT NULL,
    issued_at   BIGINT NOT NULL,
    posted_at   BIGINT NOT NULL,
    posted_by   TEXT NOT NULL,
    corrects_id BIGINT REFERENCES official_messages (id),
    reason      TEXT
);
CREATE INDEX official_messages_by_calamity ON official_messages (calamity_id, issued_at);
-- A message is corrected once; its correction may be corrected in turn.
CREATE UNIQUE INDEX official_messages_corrected_once ON official_messages (corrects_id);

CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    user_name TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);
