"""The `kpibook` command line: a thin edge over the library.

Each command parses its options, calls one library function and presents the result.
User mistakes arrive as `KpibookError` and are printed as `kpibook: <message>` on stderr,
without a traceback, with the error's exit code (2: could not run). Exit codes follow
the contract: 0 done, 1 done but problems were found and reported, 2 could not run.
"""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from kpibook.cli_usage import language_of, usage_language, use_wide_help
from kpibook.errors import KpibookError
from kpibook.messages import LANGUAGES, chosen_language, restore_language, set_language, t
from kpibook.spec import Spec, load_spec
from kpibook.version import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERRUPTED = 130


def key_help(code: str = "help.key_file") -> str:
    """The one key rule (kpibook.fingerprint.load_key's, in the run's language), shown by every
    command that takes --key-file."""
    return t(code, rule=t("help.key_rule"))


# ---------------------------------------------------------------------------------------
# Presentation
# ---------------------------------------------------------------------------------------


def _utf8_safe(stream: TextIO) -> None:
    """Make `stream` print Chinese text even under the C locale (or a cp1252 console).

    A stream whose encoding can already write Chinese (UTF-8, GBK...) keeps it; others are
    switched to UTF-8. Either way an unencodable character becomes "?" instead of a crash.
    """
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:  # replaced by a test harness or an IDE: leave it alone
        return
    try:
        "市场销售部".encode(stream.encoding or "ascii")
    except (LookupError, UnicodeEncodeError):
        reconfigure(encoding="utf-8", errors="replace")
    else:
        reconfigure(errors="replace")


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """A plain-text table; columns listed in `right` (by index) are right-aligned."""
    widths = [max(_width(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    lines = []
    for cells in (header, *rows):
        padded = [_pad(str(c), w, i in right) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        lines.append("  ".join(padded).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def format_number(value: float, unit: str = "") -> str:
    """How a target reads in the table: 5,000,000 CNY, 95%, 3."""
    if unit == "%":
        return f"{value * 100:.10g}%"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.10g}"


def spec_report(spec: Spec) -> list[str]:
    """The `spec check` listing: department, one row per KPI, grades and a count."""
    lines = [
        t("cli.spec_source", source=spec.source, version=spec.spec_version, sha=spec.sha256[:12]),
        t("cli.spec_department", id=spec.department_id, zh=spec.department_zh, en=spec.department_en),
        "",
        t("cli.spec_roles"),
    ]
    for role in spec.roles:
        lines.append(t("cli.spec_role", id=role.id, zh=role.name_zh, en=role.name_en, count=len(role.kpis)))
    lines.append("")
    header = tuple(t("cli.spec_columns").split("|"))
    rows = []
    for role in spec.roles:
        for dimension in role.dimensions:
            for kpi in dimension.kpis:
                rows.append(
                    (
                        role.id,
                        dimension.id,
                        f"{dimension.weight:g}",
                        kpi.id + (t("cli.spec_na_ok") if kpi.allow_na else ""),
                        kpi.method,
                        kpi.unit,
                        format_number(kpi.target, kpi.unit),
                        f"{kpi.weight:g}",
                    )
                )
    lines += format_table(header, rows, right=(2, 6, 7))
    lines.append("")
    bands = ", ".join(
        f"{g.grade} [{g.min:g}, {g.max:g}{']' if g is spec.grades[-1] else ')'}" for g in spec.grades
    )  # the top band includes its max
    lines.append(t("cli.spec_grades", bands=bands))
    if spec.year is not None:
        weights = ", ".join(f"{q} {w:g}" for q, w in spec.year.quarter_weights.items())
        coefficients = ", ".join(f"{g} {c:g}" for g, c in spec.year.coefficients.items())
        cap = spec.year.coefficient_cap
        cap_text = t("cli.spec_year_cap", cap=f"{cap:g}") if cap is not None else ""
        lines.append(t("cli.spec_year", weights=weights, coefficients=coefficients, cap=cap_text))
    if spec.calibration is not None:  # kpibook.guideline
        limits = "; ".join(f"{x.text()} ({x.scope_text()})" for x in spec.calibration.limits)
        lines.append(t("cli.spec_calibration", limits=limits, rounding=spec.calibration.rounding))
    roles = t("cli.count_role" if len(spec.roles) == 1 else "cli.count_roles", n=len(spec.roles))
    kpis = t("cli.count_kpi" if spec.kpi_count == 1 else "cli.count_kpis", n=spec.kpi_count)
    lines.append(t("cli.spec_counts", roles=roles, kpis=kpis))
    return lines


# ---------------------------------------------------------------------------------------
# Commands: parse -> call the library -> present. Each returns an exit code.
# ---------------------------------------------------------------------------------------


def cmd_spec_check(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec)
    print("\n".join(spec_report(spec)))
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from kpibook.fingerprint import load_key
    from kpibook.generate import generate
    from kpibook.outputs import progress_bar

    key = load_key(args.key_file)
    if key.is_demo:
        print(f"kpibook: {t('cli.demo_key_generate')}", file=sys.stderr)
    result = generate(
        args.roster,
        args.period,
        args.out,
        spec=args.spec,
        force=args.force,
        password=args.password,
        key=key,
        progress=progress_bar(),
        sheet=args.sheet,
        dry_run=args.dry_run,
    )
    print("\n".join(result.change_lines()))
    count = len(result.written)
    print(result.roster_note)
    rate = t("cli.rate", ms=f"{result.seconds * 1000 / count:.1f}") if count else ""
    if not result.dry_run:
        print(t("cli.wrote", count=count, out=result.out_dir, seconds=f"{result.seconds:.2f}", rate=rate).rstrip())
        print(t("cli.manifest", path=result.manifest))
    for problem in result.refused:
        print(f"kpibook: {problem}", file=sys.stderr)
    return EXIT_PROBLEMS if result.refused else EXIT_OK


def cmd_consolidate(args: argparse.Namespace) -> int:
    from kpibook.consolidate import consolidate
    from kpibook.fingerprint import load_key
    from kpibook.outputs import progress_bar

    result = consolidate(
        args.inputs,
        args.out,
        spec=args.spec,
        manifest=args.manifest,
        csv=args.csv,
        period=args.period,
        progress=progress_bar(),
        key=load_key(args.key_file),
        require_signoff=args.require_signoff,
        html=args.html,
        calibration=args.calibration,
    )
    print(t("cli.summary", out=result.out) + (t("cli.summary_csv", csv=result.csv) if result.csv else ""))
    if result.html:
        print(t("report.written", file=result.html))
    for line in result.status_lines():
        print(f"  {line}")
    shown = 50  # the Issues sheet has them all; a terminal needs the first few
    for issue in result.problems[:shown]:
        print(f"kpibook: {issue.line()}", file=sys.stderr)
    if len(result.problems) > shown:
        print(f"kpibook: {t('cli.more_issues', count=len(result.problems) - shown, out=result.out)}", file=sys.stderr)
    return result.exit_code


def cmd_status(args: argparse.Namespace) -> int:
    """`kpibook status INPUT... --manifest M`: progress per manager; reminders on request."""
    from kpibook.fingerprint import load_key
    from kpibook.messages import t
    from kpibook.status import status

    if args.smtp and not args.sender:
        raise KpibookError(t("cli.smtp_needs_from"))
    result = status(
        args.inputs,
        args.manifest,
        spec=args.spec,
        key=load_key(args.key_file),
        reminders=args.reminders,
        smtp=args.smtp,
        sender=args.sender or "",
        require_signoff=args.require_signoff,
    )
    print("\n".join(result.lines()))
    for path in result.reminders:
        print(t("status.reminder_written", path=path))
    emails = {m.manager: m.manager_email for m in result.managers}
    for manager in result.sent:
        print(t("status.reminder_sent", manager=manager, email=emails[manager]))
    for problem in result.problems:
        print(f"kpibook: {problem}", file=sys.stderr)
    if result.complete:
        print(t("status.all_in"))
    return result.exit_code


def cmd_report(args: argparse.Namespace) -> int:
    from kpibook.fingerprint import load_key
    from kpibook.report import report

    result = report(args.summary, args.out, spec=args.spec, key=load_key(args.key_file))
    print(t("report.written", file=result.out))
    return EXIT_OK


def cmd_calibrate(args: argparse.Namespace) -> int:
    """`kpibook calibrate SUMMARY.xlsx --out CALIBRATION.xlsx` (kpibook.calibrate)."""
    from kpibook.calibrate import calibrate
    from kpibook.fingerprint import load_key

    result = calibrate(args.summary, args.out, spec=args.spec, key=load_key(args.key_file))
    print("\n".join(result.lines()))
    return result.exit_code


def cmd_audit(args: argparse.Namespace) -> int:
    """`kpibook audit INPUT...`: the report on stdout (a verdict line per workbook, one line per
    finding, the summary last) or all of it in `--out FILE`; `--json` prints it as JSON (full
    texts); `--explain [ROLE]` prints the formula book, and refuses INPUTs (it audits nothing)."""
    from kpibook.audit import audit, explain, explain_lines, write_formula_book
    from kpibook.audit.output import check_report_path, report_text, write_report
    from kpibook.errors import Problem
    from kpibook.fingerprint import load_key
    from kpibook.messages import t

    if args.explain is not None and args.inputs:
        raise KpibookError(
            [Problem("--explain", t("audit.explain_with_inputs", inputs=" ".join(map(str, args.inputs))))]
        )
    spec = load_spec(args.spec)
    if args.explain is not None:
        entries = explain(spec, args.explain or None)
        if args.out:
            write_formula_book(entries, args.out)
            print(t("cli.wrote_formula_book", out=args.out))
        else:
            print("\n".join(explain_lines(entries)))
        return EXIT_OK
    if not args.inputs:
        raise KpibookError([Problem("kpibook audit", t("cli.audit_needs_inputs"))])
    if args.out:
        check_report_path(args.out)
    key = load_key(args.key_file)
    result = audit(args.inputs, spec=spec, key=key)
    if key.is_demo and any(w.data and w.data.metadata.get("key_id") == "demo" for w in result.workbooks):
        print(f"kpibook: {t('cli.demo_key_audit')}", file=sys.stderr)
    if not result.workbooks:
        raise KpibookError([Problem(", ".join(map(str, args.inputs)), t("cli.no_workbooks"))])
    if args.out:
        write_report(result, args.out, args.json)
        print(result.verdict_line())
        print(t("audit.wrote", path=args.out))
    else:
        sys.stdout.write(report_text(result, args.json))
    return result.exit_code


def cmd_annual(args: argparse.Namespace) -> int:
    """`kpibook annual SUMMARY... --out YEAR.xlsx`: the year, its payout and finance's CSV."""
    from kpibook.annual import annual
    from kpibook.fingerprint import load_key

    result = annual(
        args.summaries, args.out, csv=args.csv, roster=args.roster, spec=args.spec, key=load_key(args.key_file)
    )
    csv = t("cli.year_csv", csv=result.csv, control=result.control) if result.csv else ""
    print(t("cli.year_written", out=result.out) + csv)
    for line in result.status_lines():
        print(f"  {line}")
    for problem in result.problems:
        print(f"kpibook: {problem}", file=sys.stderr)
    for line in result.incomplete_lines():
        print(f"kpibook: {line}", file=sys.stderr)
    return result.exit_code


def _xl_setup(args: argparse.Namespace) -> None:
    from kpibook.xl.setup import setup_workbook

    result = setup_workbook(args.workbook, args.out, args.input, args.spec, args.interpreter, args.force)
    origin = t("cli.xl_copy_of", source=result.copied_from) if result.copied_from else t("cli.xl_new_workbook")
    print(t("cli.xl_wrote", out=result.out, origin=origin))
    for key, value in result.settings.items():
        print(f"  xlwings.conf: {key} = {value}")
    print(t("cli.xl_next"))


def _xl_lite(args: argparse.Namespace) -> None:
    from kpibook.errors import OutputError, Problem
    from kpibook.outputs import atomic_write
    from kpibook.xl.lite import MAIN_PY, requirements_txt

    files = {"main.py": MAIN_PY, "requirements.txt": requirements_txt(args.wheel)}
    if args.out is None:
        for name, content in files.items():
            print(f"# ---- {name} ----")
            print(content, end="")
        return
    taken = [args.out / n for n in files if (args.out / n).exists()]
    if taken and not args.force:
        raise OutputError([Problem(str(p), t("cli.exists_use_force")) for p in taken])
    for name, content in files.items():
        try:
            atomic_write(args.out / name, content.encode("utf-8"))
        except OSError as exc:
            raise OutputError([Problem(str(args.out / name), t("cli.cannot_write", reason=exc.strerror))]) from None
        print(t("cli.wrote_file", path=args.out / name))


def _xl_functions(_args: argparse.Namespace) -> None:
    import inspect

    from kpibook.xl.udfs import FUNCTIONS

    for function in FUNCTIONS:
        parameters = inspect.signature(function).parameters.values()
        shown = ", ".join(p.name if p.default is inspect.Parameter.empty else f"[{p.name}]" for p in parameters)
        print(f"{function.__name__}({shown})")
        print(f"    {inspect.getdoc(function)}")


def _xl_vba(_args: argparse.Namespace) -> None:
    from kpibook.xl.classic import vba_module

    print(vba_module())


def cmd_xl(args: argparse.Namespace) -> int:
    """`kpibook xl setup|lite|functions|vba`: Excel through xlwings (kpibook.xl)."""
    {"setup": _xl_setup, "lite": _xl_lite, "functions": _xl_functions, "vba": _xl_vba}[args.xl_command](args)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """The whole cycle on the bundled spec and sample roster. The problems it reports were planted
    on purpose (a missing, two incomplete and one tampered workbook), so the demo itself exits 0."""
    from kpibook.demo import demo

    print(t("cli.demo_heading", version=__version__, out=args.out))
    result = demo(args.out)
    print("\n".join(result.lines))
    if args.year:  # four more quarters and the year: a separate step, so the plain demo stays quick
        from kpibook.demo_year import demo_year
        from kpibook.resources import bundled_spec_path
        from kpibook.spec import load_spec

        year = demo_year(args.out, load_spec(bundled_spec_path()))
        print("\n".join(year.lines))
    print("\n" + t("cli.demo_outputs"))
    for code, path in (
        ("cli.demo_blank", result.workbooks),
        ("cli.demo_manifest", result.workbooks / "manifest.csv"),
        ("cli.demo_returned", result.returned),
        ("cli.demo_summary", result.summary),
        ("cli.demo_csv", result.summary_csv),
        ("cli.demo_audit", result.audit_report),
        ("cli.demo_roster", result.roster),
        ("cli.demo_reminders", result.reminders),
        ("cli.demo_report", result.report),
        ("cli.demo_calibration", result.calibration),
        ("cli.demo_calibrated", result.calibrated_summary),
    ):
        print(f"  {_pad(t(code), 28)} {path}")
    return result.exit_code


# ---------------------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------------------


def _add_status_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`kpibook status`: its own function, so build_parser stays short."""
    status = commands.add_parser(
        "status",
        help=t("help.status"),
        description=t("help.status_description"),
    )
    status.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help=t("help.returned_inputs"))
    status.add_argument("--manifest", required=True, type=Path, metavar="MANIFEST", help=t("help.status_manifest"))
    status.add_argument("--spec", type=Path, help=t("help.spec"))
    status.add_argument("--key-file", type=Path, help=key_help())
    status.add_argument("--reminders", type=Path, metavar="DIR", help=t("help.reminders"))
    status.add_argument("--smtp", metavar="HOST:PORT", help=t("help.smtp"))
    status.add_argument("--from", dest="sender", metavar="ADDR", help=t("help.from"))
    status.add_argument("--require-signoff", action="store_true", help=t("help.status_signoff"))
    status.set_defaults(run=cmd_status)


def _report_parser(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help=t("help.report"))
    report.add_argument("summary", type=Path, metavar="SUMMARY.xlsx", help=t("help.report_summary"))
    report.add_argument("--out", required=True, type=Path, metavar="REPORT.html", help=t("help.report_out"))
    report.add_argument("--spec", type=Path, help=t("help.report_spec"))
    report.add_argument("--key-file", type=Path, help=key_help("help.report_key"))
    report.set_defaults(run=cmd_report)


def _calibrate_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    calibrate = commands.add_parser("calibrate", help=t("help.calibrate"))
    calibrate.add_argument("summary", type=Path, metavar="SUMMARY.xlsx", help=t("help.calibrate_summary"))
    calibrate.add_argument("--out", required=True, type=Path, metavar="CALIBRATION.xlsx", help=t("help.calibrate_out"))
    calibrate.add_argument("--spec", type=Path, help=t("help.calibrate_spec"))
    calibrate.add_argument("--key-file", type=Path, help=t("help.hr_key"))
    calibrate.set_defaults(run=cmd_calibrate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kpibook",
        description=t("help.description"),
        epilog=t("help.epilog"),
    )
    parser.add_argument("--version", action="version", version=f"kpibook {__version__}", help=t("argparse.version"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    # In the order of the cycle: the spec, issue, chase, consolidate, look, calibrate, audit, the year.
    for add in (
        _spec_parser,
        _generate_parser,
        _add_status_parser,
        _consolidate_parser,
        _report_parser,
        _calibrate_parser,
        _audit_parser,
        _annual_parser,
        _demo_parser,
        _add_xl_parser,
    ):
        add(commands)
    _add_language_option(parser)
    use_wide_help(parser)
    return parser


def _spec_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    spec = commands.add_parser("spec", help=t("help.spec_command"))
    spec_commands = spec.add_subparsers(dest="spec_command", metavar="SUBCOMMAND", required=True)
    check = spec_commands.add_parser(
        "check",
        help=t("help.spec_check"),
        description=t("help.spec_check_description"),
    )
    check.add_argument("spec", nargs="?", type=Path, metavar="SPEC", help=t("help.spec_path"))
    check.set_defaults(run=cmd_spec_check)


def _generate_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    generate = commands.add_parser("generate", help=t("help.generate"))
    generate.add_argument("--roster", required=True, type=Path, help=t("help.roster"))
    generate.add_argument("--sheet", metavar="NAME", help=t("help.sheet"))
    generate.add_argument("--period", required=True, help=t("help.period"))
    generate.add_argument("--out", required=True, type=Path, metavar="DIR", help=t("help.generate_out"))
    generate.add_argument("--spec", type=Path, help=t("help.spec"))
    generate.add_argument(
        "--force",
        action="store_true",
        help=t("help.force"),
    )
    generate.add_argument("--dry-run", action="store_true", help=t("help.dry_run"))
    generate.add_argument("--password", help=t("help.password"))
    generate.add_argument("--key-file", type=Path, help=key_help())
    generate.set_defaults(run=cmd_generate)


def _consolidate_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    consolidate = commands.add_parser("consolidate", help=t("help.consolidate"))
    consolidate.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help=t("help.inputs"))
    consolidate.add_argument("--out", required=True, type=Path, metavar="SUMMARY.xlsx", help=t("help.consolidate_out"))
    consolidate.add_argument("--spec", type=Path, help=t("help.spec"))
    consolidate.add_argument("--manifest", type=Path, metavar="MANIFEST", help=t("help.manifest"))
    consolidate.add_argument("--csv", type=Path, metavar="FILE", help=t("help.csv"))
    consolidate.add_argument(
        "--period",
        help=t("help.consolidate_period"),
    )
    consolidate.add_argument("--key-file", type=Path, help=key_help())
    consolidate.add_argument(
        "--require-signoff",
        action="store_true",
        help=t("help.require_signoff"),
    )
    consolidate.add_argument("--html", type=Path, metavar="REPORT.html", help=t("help.html"))
    consolidate.add_argument("--calibration", type=Path, metavar="CALIBRATION.xlsx", help=t("help.calibration"))
    consolidate.set_defaults(run=cmd_consolidate)


def _audit_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser("audit", help=t("help.audit"))
    audit.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", help=t("help.inputs"))
    audit.add_argument("--spec", type=Path, help=t("help.spec"))
    audit.add_argument("--json", action="store_true", help=t("help.json"))
    audit.add_argument("--key-file", type=Path, help=key_help())
    audit.add_argument(
        "--explain",
        nargs="?",
        const="",
        metavar="ROLE",
        help=t("help.explain"),
    )
    audit.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help=t("help.audit_out"),
    )
    audit.set_defaults(run=cmd_audit)


def _annual_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    year = commands.add_parser("annual", help=t("help.annual"))
    year.add_argument("summaries", nargs="+", type=Path, metavar="SUMMARY", help=t("help.annual_summaries"))
    year.add_argument("--out", required=True, type=Path, metavar="YEAR.xlsx", help=t("help.annual_out"))
    year.add_argument("--csv", type=Path, metavar="FILE", help=t("help.annual_csv"))
    year.add_argument("--roster", type=Path, metavar="ROSTER", help=t("help.annual_roster"))
    year.add_argument("--spec", type=Path, help=t("help.annual_spec"))
    year.add_argument("--key-file", type=Path, help=t("help.hr_key"))
    year.set_defaults(run=cmd_annual)


def _demo_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser("demo", help=t("help.demo"))
    demo.add_argument("--out", type=Path, default=Path("demo-out"), metavar="DIR", help=t("help.demo_out"))
    demo.add_argument("--year", action="store_true", help=t("help.demo_year"))
    demo.set_defaults(run=cmd_demo)


def _add_xl_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`kpibook xl setup|lite|functions|vba`."""
    xl = commands.add_parser("xl", help=t("help.xl"))
    xl_commands = xl.add_subparsers(dest="xl_command", metavar="SUBCOMMAND", required=True)
    setup = xl_commands.add_parser(
        "setup",
        help=t("help.xl_setup"),
        description=t("help.xl_setup_description"),
    )
    setup.add_argument("workbook", type=Path, metavar="WORKBOOK", help=t("help.xl_workbook"))
    setup.add_argument("--out", type=Path, metavar="FILE", help=t("help.xl_out"))
    setup.add_argument("--input", metavar="PATH", help=t("help.xl_input"))
    setup.add_argument("--spec", metavar="SPEC", help=t("help.xl_spec"))
    setup.add_argument("--interpreter", metavar="PYTHON", help=t("help.xl_interpreter"))
    setup.add_argument("--force", action="store_true", help=t("help.xl_force"))
    lite = xl_commands.add_parser("lite", help=t("help.xl_lite"))
    lite.add_argument("--out", type=Path, metavar="DIR", help=t("help.xl_lite_out"))
    lite.add_argument("--wheel", metavar="URL", help=t("help.xl_wheel"))
    lite.add_argument("--force", action="store_true", help=t("help.xl_lite_force"))
    xl_commands.add_parser("functions", help=t("help.xl_functions"))
    xl_commands.add_parser("vba", help=t("help.xl_vba"))
    xl.set_defaults(run=cmd_xl)


def _add_language_option(parser: argparse.ArgumentParser) -> None:
    """`--lang zh|en` on kpibook itself and on every command and subcommand, in one place (the
    report page's language too). main() has read it before parsing (kpibook.cli_usage)."""
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,  # a subcommand's default must not undo `kpibook --lang zh CMD`
        help=t("argparse.lang"),
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                _add_language_option(child)


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_safe(sys.stdout)
    _utf8_safe(sys.stderr)
    arguments = sys.argv[1:] if argv is None else list(argv)
    previous = chosen_language()
    try:
        # The language first (argparse's own words are fixed as the parser is built), then parse:
        # `--lang` before or after the command, and the locale without it, mean the same thing.
        lang = set_language(language_of(arguments))
        with usage_language(lang):
            args = build_parser().parse_args(arguments)
        return args.run(args)
    except SystemExit as exc:  # argparse: --help, --version (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_CANNOT_RUN
    except KpibookError as exc:
        print(f"kpibook: {exc.render()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"kpibook: {t('cli.interrupted')}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `kpibook spec check | head`: the reader left, nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        restore_language(previous)  # a library caller's language outlives one `main` call
