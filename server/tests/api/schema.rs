//! The two migration sets describe one schema: the same tables, columns (with the same kind of
//! value and the same nullability) and indexes on SQLite and PostgreSQL. The search index is the
//! one place they differ on purpose (each engine's own full-text search).

use std::collections::BTreeSet;

use crate::helpers::{empty_db, postgres_admin_url, Engine};

/// `table.column: kind, null|not null`, and `index name on table`, one line each.
type Schema = BTreeSet<String>;

/// The differences that are each engine's full-text search: FTS5 keys its rows by `rowid` and
/// indexes itself; PostgreSQL has a key column, a generated `tsvector` and a GIN index on it.
const SEARCH_ONLY_ON_POSTGRES: [&str; 3] = [
    "column article_search.article_id: int, not null",
    "column article_search.document: tsvector, null",
    "index article_search_document on article_search",
];

fn kind(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "smallint" => "int".into(),
        "text" | "character varying" => "text".into(),
        // FTS5 columns have no declared type; they hold text.
        "" => "text".into(),
        other => other.into(),
    }
}

async fn sqlite_schema() -> Schema {
    let (db, _guard) = empty_db(Engine::Sqlite).await;
    let mut schema = Schema::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%' AND name NOT LIKE 'article_search_%' ORDER BY name",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    for table in tables {
        schema.insert(format!("table {table}"));
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY name",
        )
        .bind(&table)
        .fetch_all(db.pool())
        .await
        .unwrap();
        // FTS5 columns cannot be declared NOT NULL; the article writer always fills them.
        let virtual_table = table == "article_search";
        for (name, declared, not_null, pk) in columns {
            let null = if not_null != 0 || pk != 0 || virtual_table {
                "not null"
            } else {
                "null"
            };
            schema.insert(format!(
                "column {table}.{name}: {}, {null}",
                kind(&declared)
            ));
        }
    }
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' \
         AND name NOT LIKE 'sqlite_autoindex%'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    for (name, table) in indexes {
        schema.insert(format!("index {name} on {table}"));
    }
    schema
}

async fn postgres_schema() -> Schema {
    let (db, _guard) = empty_db(Engine::Postgres).await;
    let mut schema = Schema::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    for table in tables {
        schema.insert(format!("table {table}"));
        let columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, \
             CASE WHEN data_type = 'USER-DEFINED' THEN udt_name::text ELSE data_type::text END, \
             is_nullable::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(&table)
        .fetch_all(db.pool())
        .await
        .unwrap();
        for (name, declared, nullable) in columns {
            let null = if nullable == "YES" {
                "null"
            } else {
                "not null"
            };
            schema.insert(format!(
                "column {table}.{name}: {}, {null}",
                kind(&declared)
            ));
        }
    }
    // Indexes made by CREATE INDEX, not those behind a primary key or a UNIQUE constraint
    // (SQLite's automatic indexes, left out above).
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.indexname::text, i.tablename::text FROM pg_indexes i \
         WHERE i.schemaname = 'public' AND i.tablename NOT LIKE '\\_sqlx%' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    for (name, table) in indexes {
        schema.insert(format!("index {name} on {table}"));
    }
    schema
}

#[tokio::test]
async fn both_engines_migrate_to_the_same_tables_columns_and_indexes() {
    if postgres_admin_url().is_none() {
        return;
    }
    let sqlite = sqlite_schema().await;
    let mut postgres = postgres_schema().await;
    for expected in SEARCH_ONLY_ON_POSTGRES {
        assert!(
            postgres.remove(expected),
            "PostgreSQL's search has {expected}"
        );
    }
    let only_sqlite: Vec<&String> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<&String> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migrations drifted apart:\n  only on SQLite: {only_sqlite:#?}\n  only on PostgreSQL: \
         {only_postgres:#?}"
    );
    assert!(sqlite.len() > 50, "the schema was read: {sqlite:#?}");
}
