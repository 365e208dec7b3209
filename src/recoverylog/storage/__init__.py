"""Storage: the only code that knows SQL, tables and sqlite-utils.

Hot paths use the standard library's sqlite3 directly; sqlite-utils (a ~170 ms
import) is loaded only to run migrations and for `db` admin commands.
"""
