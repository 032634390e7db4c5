"""`make run`: the whole system on an embedded Postgres, against a demo stand-in endpoint."""
