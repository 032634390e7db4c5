"""`orchestrator init edge-function DIR`: writes the integration Edge Function template
(DESIGN §13 "Adoption") from the installed package, so the wheel alone is enough.

The template lives in `orchestrator/templates/edge_function/` (package data of the wheel):
`index.ts` (the entry point with `exportRun()` to fill in), `handler.ts` (Standard Webhooks
signature check, validation, idempotency) and `index.test.ts` (its Deno tests).
"""

from __future__ import annotations

from pathlib import Path

import click

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "edge_function"
# Written in this order; what each file is, for the summary.
TEMPLATE_FILES: dict[str, str] = {
    "index.ts": "the entry point: fill in exportRun()",
    "handler.ts": "signature check (Standard Webhooks), validation, idempotency",
    "index.test.ts": "its tests: deno test index.test.ts",
}


class TemplateError(Exception):
    """Raised with a sentence that says what to do next."""


def write_edge_function(target: Path, *, force: bool = False) -> list[Path]:
    """Copies the template's files into `target` (created with its parents); the paths
    written. Refuses, writing nothing, when a file would be replaced and not `force`."""
    missing = [name for name in TEMPLATE_FILES if not (TEMPLATE_DIR / name).is_file()]
    if missing:
        raise TemplateError(
            f"the package's template is incomplete ({', '.join(missing)} missing in "
            f"{TEMPLATE_DIR}): reinstall integration-sync-health"
        )
    if target.exists() and not target.is_dir():
        raise TemplateError(f"{target} exists and is not a folder")
    existing = [target / name for name in TEMPLATE_FILES if (target / name).exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise TemplateError(f"refusing to overwrite {names} (pass --force to replace)")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TEMPLATE_FILES:
        path = target / name
        path.write_bytes((TEMPLATE_DIR / name).read_bytes())
        written.append(path)
    return written


def next_steps(target: Path) -> str:
    name = target.resolve().name
    width = max(len(file) for file in TEMPLATE_FILES)
    files = "\n".join(f"  {file:<{width}}  {what}" for file, what in TEMPLATE_FILES.items())
    return f"""\
Wrote the integration Edge Function template to {target}/:
{files}

Next steps (docs/supabase.md, section 10):
  1. Make a signing secret, and keep it out of git:
       echo "whsec_$(openssl rand -base64 32)"
  2. Give it to the function:
       supabase secrets set WEBHOOK_SECRET=whsec_...
  3. Sign with the same secret: the worker reads ORCHESTRATOR_WEBHOOK_SECRET; pg_net
     delivery reads the Vault secret named by settings.webhook_secret_name.
  4. Deploy from your Supabase project, with the folder at supabase/functions/{name}/
     (the signature is the function's check, not the gateway's JWT):
       supabase functions deploy {name} --no-verify-jwt
  5. Point the integration at https://<project-ref>.supabase.co/functions/v1/{name}
     (orchestrator integrations add ORG TYPE URL, or public.configure_integration)."""


@click.group("init")
def init_group() -> None:
    """Write starter files from the package into your project."""


@init_group.command("edge-function")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace the template's files if they exist.")
def edge_function(directory: Path, force: bool) -> None:
    """Write the integration Edge Function template into DIRECTORY.

    Writes index.ts, handler.ts and index.test.ts, creating DIRECTORY; refuses to replace
    existing files unless --force. Then prints the next steps (secret, deploy)."""
    try:
        write_edge_function(directory, force=force)
    except (TemplateError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(next_steps(directory))
