"""The subcommands of `orchestrator`, one module per command family."""
