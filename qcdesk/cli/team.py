"""Command line for team work: ``qcdesk-cli merge PROJECT OTHER`` and
``qcdesk-cli agreement PROJECT --coder A --coder B [--json]``."""

from __future__ import annotations

import argparse
import json

from qcdesk.cli.options import PROJECT
from qcdesk.cli.passphrase import passphrase_for
from qcdesk.cli.projects import open_project
from qcdesk.core.errors import OperationError

SUBCOMMANDS = {"merge", "agreement"}


def dash(value: float | None, digits: int = 3) -> str:
    """A figure as printed; undefined ones (no coded text) as "–"."""
    return "–" if value is None else f"{value:.{digits}f}"


def cmd_merge(args: argparse.Namespace) -> int:
    from qcdesk.core.merge import merge_project, preview_merge

    with open_project(args.project) as project:
        if args.dry_run:
            report = preview_merge(project, args.other, passphrase=passphrase_for(args.other))
        else:
            if args.coder:
                project.set_coder(args.coder)
            report = merge_project(project, args.other, passphrase=passphrase_for(args.other)).value
    if args.dry_run:
        print(f"merging {args.other} into {args.project} would do this (nothing was changed):")
    else:
        print(f"merged {args.other} into {args.project}")
    for line in report.lines():
        print(line)
    return 0


def _coder_ids(project, names: list[str]) -> list[int]:
    by_name = {c.name: c.id for c in project.coders()}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name)) or "none"
        raise OperationError(f"No coder called “{unknown[0]}” in this project (coders: {known}).")
    return [by_name[n] for n in names]


def figures_dict(fig) -> dict:
    return {"percent_agreement": fig.percent, "kappa": fig.kappa, "alpha": fig.alpha}


def cmd_agreement(args: argparse.Namespace) -> int:
    from qcdesk.core.agreement import agreement

    with open_project(args.project, read_only=True) as project:
        result = agreement(project, _coder_ids(project, args.coder))
        docs = {d.id: d.name for d in project.documents()}
        paths = {c.id: " / ".join(project.code_path(c.id)) for c in project.codes()}
    if args.json:
        print(json.dumps({
            "coders": args.coder,
            "documents": [docs[d] for d in result.document_ids],
            "codes": [{"code": paths[c.code_id], **figures_dict(c.figures),
                       "documents": {docs[d]: figures_dict(f) for d, f in c.by_document.items()}}
                      for c in result.codes],
            "overall": figures_dict(result.overall),
            "mean_kappa": result.mean_kappa,
        }, indent=2, ensure_ascii=False))
        return 0
    print(f"coders: {', '.join(args.coder)}; documents compared: {len(result.document_ids)}")
    width = max([len(p) for p in (paths[c.code_id] for c in result.codes)] + [7])
    print(f"{'code':<{width}}  {'% agree':>8}  {'kappa':>7}  {'alpha':>7}")
    for c in result.codes:
        f = c.figures
        print(f"{paths[c.code_id]:<{width}}  {dash(f.percent, 1):>8}  {dash(f.kappa):>7}  {dash(f.alpha):>7}")
    f = result.overall
    print(f"{'overall':<{width}}  {dash(f.percent, 1):>8}  {dash(f.kappa):>7}  {dash(f.alpha):>7}")
    print(f"mean kappa over codes: {dash(result.mean_kappa)}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("merge", parents=[PROJECT], help="merge another coder's copy of the project into PROJECT")
    p.add_argument("other", help="the other coder's project file")
    p.add_argument("--coder", help="coder name recorded for this session")
    p.add_argument("--dry-run", action="store_true",
                   help="show what would be added, matched and in conflict, and change nothing")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("agreement", parents=[PROJECT],
                       help="inter-coder agreement: %% agreement, Cohen's kappa, "
                            "Krippendorff's unitized alpha per code")
    p.add_argument("--coder", action="append", required=True,
                   help="a coder to compare (give two or more: --coder A --coder B)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_agreement)
