"""The README and the configuration it documents stay true."""
import re

from builder.plugin.config import DossierConfig
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands_serve_and_test():
    commands = quick_start_commands()
    assert commands == ["python3 dev.py serve", "python3 dev.py test"]


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci/run").read_text()
    assert quick_start_commands()[1] in ci


def test_every_plugin_option_is_documented_in_the_readme():
    for name, _ in DossierConfig._schema:
        assert re.search(rf"^\s+{name}:", README, re.M), f"plugin option {name!r} is not in the README"


def test_every_command_and_option_of_the_command_line_is_in_the_readme():
    import argparse

    from builder.cli import _parser

    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for command, parser in commands.choices.items():
        assert f"python -m builder {command}" in README, f"command {command!r} is not in the README"
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert re.search(rf"(?<![\w-]){option}(?![\w-])", README), f"{command} {option} is not in the README"


def test_mkdocs_yml_enables_the_plugin_and_material_without_remote_fonts():
    config = (ROOT / "mkdocs.yml").read_text()
    assert "name: material" in config and "font: false" in config
    assert re.search(r"^\s+- dossier:", config, re.M)


def test_the_home_page_includes_the_generated_overview():
    assert '--8<-- "overview/at-a-glance.md"' in (ROOT / "docs/index.md").read_text()
