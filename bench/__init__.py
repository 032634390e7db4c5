"""`make bench`: figures at scale beside their budgets, physical bounds and a peer."""
