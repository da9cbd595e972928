-- The broadcaster's own pages (Over ons, Contact, Colofon, Privacyverklaring, the
-- toegankelijkheidsverklaring): Markdown like articles, at /pagina/<slug>, linked from the
-- footer in their order. Every save keeps a revision; the version refuses a save over a newer one.
CREATE TABLE site_pages (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    body_md    TEXT NOT NULL,
    -- Rendered and sanitised when saved, never per view.
    body_html  TEXT NOT NULL,
    in_footer  INTEGER NOT NULL DEFAULT 1,
    position   INTEGER NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE site_page_revisions (
    id         INTEGER PRIMARY KEY,
    page_id    INTEGER NOT NULL REFERENCES site_pages (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id),
    title      TEXT NOT NULL,
    body_md    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX site_page_revisions_by_page ON site_page_revisions (page_id, created_at DESC);
