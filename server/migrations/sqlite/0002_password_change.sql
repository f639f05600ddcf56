-- A password given out by `heard user add` works once: its holder must choose their own.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
