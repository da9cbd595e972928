-- What a station's playout reports as playing now (read from its Icecast status document).
CREATE TABLE now_playing (
    station_id BIGINT PRIMARY KEY REFERENCES stations (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
