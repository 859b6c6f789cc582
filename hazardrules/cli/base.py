"""The `hazardrules` command group and what every command shares.

The command: parse arguments, call the library, format the result.

Exit codes: 0 nothing major or undetermined; 1 at least one major hazard; 3 no major but
something undetermined; 2 bad input or usage; 4 internal error; 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import __version__

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _version_text() -> str:
    from ..engine import get_engine

    try:
        engine = get_engine().name
    except Exception as exc:  # the version line must always print
        engine = f"不可用（{exc}）"
    return f"hazardrules {__version__}\n规则引擎：{engine}"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit(0)


@click.group(context_settings=CONTEXT)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="显示版本和当前使用的规则引擎。")
@click.option("--criteria", "criteria_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="HAZARDRULES_CRITERIA", default=None,
              help="判定标准数据目录（默认为随软件提供的数据）。")
@click.pass_context
def cli(ctx: click.Context, criteria_dir: Path | None) -> None:
    """按重大事故隐患判定标准，对检查表中的每条检查发现给出判定建议（重大 / 一般 / 无法判定）。

    结果是判定建议，不是官方认定。示例：

        hazardrules check cases/examples/gongmao-self-check.yaml
    """
    ctx.obj = {"criteria_dir": criteria_dir}


def _catalog(ctx: click.Context):
    from ..catalog import load_catalog
    from ..explain import use_catalog

    catalog = load_catalog(ctx.obj["criteria_dir"])
    use_catalog(catalog)
    return catalog


def _emit(text: str, output: Path | None, inputs: list[Path], force: bool) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..output import write_atomic

    write_atomic(output, text, inputs, force)
    click.echo(f"已写入 {output}", err=True)


FORMATS = click.Choice(["text", "json", "markdown"])


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps every outcome to the documented exit codes."""
    from ..errors import EngineError, InputError

    try:
        code = cli.main(args=argv, prog_name="hazardrules", standalone_mode=False)
    except InputError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.exceptions.Abort:
        click.echo("已中断", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("已中断", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_BAD_INPUT)
    except EngineError as exc:
        click.echo(f"内部错误（规则引擎）：{exc}", err=True)
        sys.exit(EXIT_INTERNAL)
    except Exception as exc:  # never a traceback for the user; HAZARDRULES_DEBUG shows it
        if os.environ.get("HAZARDRULES_DEBUG"):
            raise
        click.echo(f"内部错误：{type(exc).__name__}: {exc}（设置 HAZARDRULES_DEBUG=1 可查看详情）",
                   err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else 0)
