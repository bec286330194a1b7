-- The SHA-256 of each migration file as it was applied (of its text with \n line endings), so
-- that start-up refuses a file edited after it ran (storage/migrate.py). A database migrated
-- before this table existed gets the rows of its earlier migrations from the first start that
-- has it.

CREATE TABLE migration (
    number INTEGER PRIMARY KEY CHECK (number >= 1),
    name   TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64)
) STRICT;
