-- On air: station → programme → broadcast (a slot in the schedule). The week repeats: a weekly
-- slot is a weekday and a local (Europe/Amsterdam) start and length, so it keeps its wall-clock
-- time across the DST changes. One-off broadcasts (exact moments) take precedence over the
-- weekly slots they overlap; a cancellation takes out one occurrence of a weekly slot.
CREATE TABLE stations (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('radio', 'tv')),
    stream_url  TEXT NOT NULL,
    status_url  TEXT,
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE programmes (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    station_id       INTEGER NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    summary          TEXT NOT NULL,
    description_md   TEXT NOT NULL,
    -- Rendered and sanitised when saved.
    description_html TEXT NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE programme_presenters (
    programme_id INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (programme_id, author_id)
);

-- Every week: weekday 1 (Monday) to 7 (Sunday), from start_minute (local, minutes after
-- midnight) for length_minutes; a slot may run past midnight.
CREATE TABLE weekly_slots (
    id             INTEGER PRIMARY KEY,
    station_id     INTEGER NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    programme_id   INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    weekday        INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute   INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    length_minutes INTEGER NOT NULL CHECK (length_minutes BETWEEN 1 AND 1440)
);
CREATE INDEX weekly_slots_by_station ON weekly_slots (station_id);

-- A broadcast at an exact moment (Unix seconds), instead of what the week says.
CREATE TABLE one_off_broadcasts (
    id           INTEGER PRIMARY KEY,
    station_id   INTEGER NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    programme_id INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX one_off_broadcasts_by_time ON one_off_broadcasts (station_id, starts_at);

-- One occurrence of a weekly slot that does not go out: the slot and its local date.
CREATE TABLE slot_cancellations (
    slot_id INTEGER NOT NULL REFERENCES weekly_slots (id) ON DELETE CASCADE,
    on_date TEXT NOT NULL,
    PRIMARY KEY (slot_id, on_date)
);
