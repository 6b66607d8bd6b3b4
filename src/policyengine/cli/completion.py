"""Shell completion for `policyengine`: subcommands, options, instrument ids, scenario names and
`field=value` words, generated from the parser and the vocabulary."""

from __future__ import annotations

import argparse

from ..registry import bundled
from ..testing.suites import named_scenarios
from .app import build_parser

EXAMPLES = """\
examples:
  eval "$(policyengine completion bash)"        in ~/.bashrc
  eval "$(policyengine completion zsh)"         in ~/.zshrc"""

BASH = r'''# policyengine completion for bash (and zsh through bashcompinit)
_policyengine() {
    local cur prev cmd
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    cmd="${COMP_WORDS[1]}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=( $(compgen -W "%(commands)s --help --version" -- "$cur") )
        return
    fi
    case "$prev" in
        --policy|-p) COMPREPLY=( $(compgen -W "%(policies)s" -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur") ); return;;
        --scenario|-s) COMPREPLY=( $(compgen -W "%(scenarios)s" -- "$cur") ); return;;
        --level) COMPREPLY=( $(compgen -W "short standard full" -- "$cur") ); return;;
        --format) COMPREPLY=( $(compgen -W "text markdown json" -- "$cur") ); return;;
        --suite|--out|-o) COMPREPLY=( $(compgen -f -- "$cur") ); return;;
    esac
    case "$cur" in
%(values)s
    esac
    case "$cmd" in
%(options)s
    esac
    if [ "${#COMPREPLY[@]}" -eq 1 ] && [ "${COMPREPLY[0]%%=}" != "${COMPREPLY[0]}" ]; then
        compopt -o nospace 2>/dev/null
    fi
}
complete -F _policyengine policyengine
'''

ZSH_PREFIX = "autoload -U +X bashcompinit && bashcompinit\n"


def _options(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Each subcommand's option strings."""
    out: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out[name] = [o for a in sub._actions for o in a.option_strings]
    return out


def script(parser: argparse.ArgumentParser, shell: str = "bash") -> str:
    """The completion script for `shell` (bash or zsh)."""
    options = _options(parser)
    corpus = bundled()
    vocab = corpus.vocabulary
    values = []
    for field in vocab.fields.values():
        domain = [f"{field.name}={v}" for v in (field.values if field.type == "enum" else
                                                ("true", "false") if field.type == "bool" else ())]
        if domain:
            values.append(f'        {field.name}=*) COMPREPLY=( $(compgen -W "{" ".join(domain)}" -- "$cur") ); return;;')
    fields = " ".join(f"{name}=" for name in vocab.names)
    cases = [f'        {name}) COMPREPLY=( $(compgen -W "{" ".join(opts)}{" " + fields if "--scenario" in opts else ""}"'
             f' -- "$cur") );;' for name, opts in options.items()]

    text = BASH % {
        "commands": " ".join(options),
        "policies": " ".join(corpus.ids),
        "scenarios": " ".join(named_scenarios(vocab)),
        "values": "\n".join(values),
        "options": "\n".join(cases),
    }
    return ZSH_PREFIX + text if shell == "zsh" else text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The shell."""
    parser.add_argument("shell", choices=("bash", "zsh"))


def run(args: argparse.Namespace) -> int:
    """Print the shell completion script."""
    print(script(build_parser(every_command=True), args.shell))
    return 0
