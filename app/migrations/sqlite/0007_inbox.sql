-- The newsroom's inbox: tips from readers ("Tip de redactie") and corrections ("Foutje gezien?").
-- Contact details are for the newsroom only; the client's IP address is kept only as a salted
-- hash (for the rate limit). A photo is a private file under the data directory.
CREATE TABLE inbox_messages (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('tip', 'correction')),
    article_id  INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT NOT NULL,
    message     TEXT NOT NULL,
    photo       TEXT,
    ip_hash     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    handled_at  INTEGER,
    handled_by  INTEGER REFERENCES users (id)
);
CREATE INDEX inbox_by_state ON inbox_messages (handled_at, created_at);
CREATE INDEX inbox_by_client ON inbox_messages (ip_hash, created_at);
