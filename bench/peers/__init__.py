"""The peers' worker processes for `bench.e2e`: graphile-worker and pg-boss (Node.js, run
with the machine's node and the packages `make bench-peers` installs into .tools/bench),
and procrastinate (Python). Each runs jobs that make the same HTTP call as our worker."""
