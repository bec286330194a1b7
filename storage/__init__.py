"""The SQLite adapter: the only package that imports aiosqlite."""
