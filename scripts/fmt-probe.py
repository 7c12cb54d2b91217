#!/usr/bin/env python3
"""Find the regions rustfmt silently leaves as written.

Usage: python3 scripts/fmt-probe.py [FILE.rs ...]   (from the repository root)

rustfmt gives up, without a word, on a whole statement or item it cannot fit
in `max_width` (most often one holding a long string literal) and leaves it as
it was written, so `cargo fmt --check` passes on code nobody formatted. This
probe finds those regions. It formats each file (through stdin: the tree is
never touched), then formats a perturbed copy in which every line that starts
in code has lost its indentation, every single space between two code tokens
is doubled and a space follows each `(`; wherever rustfmt formats, it undoes
all three, so a line that comes back different is one it did not format. With no arguments it probes
every tracked .rs file under crates/, src-tauri/ and fuzz/, in parallel. It
prints `file:first-last` for each region and exits 1 if any is found. Left
out: the bodies of macros and attributes that rustfmt never formats by design
(ALLOWED, recognised by the name before the body, not by file and line: they
are not perturbed, while the code around them still is), and a `const`,
`static` or `let` whose whole value is one string literal (nothing in it is
left to format). The cure for a hit is a named `const` for the long SQL or a
literal continued with `\\`.
"""

import concurrent.futures
import difflib
import os
import re
import subprocess
import sys

ROOTS = ("crates/", "src-tauri/", "fuzz/")
CONFIG = ["--config-path", "rustfmt.toml"] if os.path.exists("rustfmt.toml") else []

# Bodies rustfmt leaves as written whatever their length, because they are not
# Rust expressions: macro definitions, test and fuzz harness macros, the
# project's own declarative tables (`coded_enum!`, `customer_columns!`),
# JSON, weighted strategies, patterns with guards, thiserror's `#[error(..)]`
# with its `.field` shorthand, clap's `#[command(..)]` and `#[arg(..)]`
# holding builder calls, and tokio's `select!` branches.
ALLOWED = {
    "macro_rules!",
    "proptest!",
    "prop_oneof!",
    "fuzz_target!",
    "criterion_group!",
    "thread_local!",
    "coded_enum!",
    "customer_columns!",
    "json!",
    "matches!",
    "#[error]",
    "#[command]",
    "#[arg]",
    "select!",
}

RAW_STRING = re.compile(r'(?:b|c|br|cr)?r(#*)"')
QUOTED_STRING = re.compile(r'(?:b|c)?"')
CHAR_LITERAL = re.compile(r"b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]*\}|.)|[^\\'\n])'")
MACRO_BEFORE = re.compile(r"(\w+)\s*!\s*(?:\w+\s*)?$")
ATTRIBUTE_BEFORE = re.compile(r"#!?\[\s*(\w+)\s*$")
# A binding whose value is one string literal, as it reads once the literal
# is blanked out.
LONE_LITERAL = re.compile(
    r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const|static|let)\s+(?:mut\s+)?\w+\s*(?::[^=]*)?=\s*;?\s*$"
)


def mask(src):
    """The source with every string, character and comment blanked to spaces
    (newlines kept, so offsets and lines stay), and for each character
    whether it is code (True) or part of a literal or comment (False)."""
    out = list(src)
    is_code = [True] * len(src)
    i, n = 0, len(src)

    def blank(start, end):
        for k in range(start, end):
            is_code[k] = False
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            end = src.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif src.startswith("/*", i):
            end = block_comment_end(src, i)
            blank(i, end)
            i = end
        elif (c.isalpha() or c == '"' or c == "'") and not word_before(src, i):
            end = literal_end(src, i)
            if end is None:
                i = skip_word(src, i)
            else:
                blank(i, end)
                i = end
        else:
            i += 1
    return "".join(out), is_code


def word_before(src, i):
    """Whether `i` is inside a word (so not where a literal's prefix starts)."""
    return i > 0 and (src[i - 1].isalnum() or src[i - 1] == "_")


def skip_word(src, i):
    i += 1
    while i < len(src) and (src[i].isalnum() or src[i] == "_"):
        i += 1
    return i


def literal_end(src, i):
    """End of the string or character literal starting at `i`, or None."""
    raw = RAW_STRING.match(src, i)
    if raw:
        close = '"' + raw.group(1)
        return src.index(close, raw.end()) + len(close)
    quoted = QUOTED_STRING.match(src, i)
    if quoted:
        k = quoted.end()
        while src[k] != '"':
            k += 2 if src[k] == "\\" else 1
        return k + 1
    char = CHAR_LITERAL.match(src, i)
    return char.end() if char else None


def block_comment_end(src, i):
    depth = 0
    while i < len(src):
        if src.startswith("/*", i):
            depth += 1
            i += 2
        elif src.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return i


def allowed_bodies(masked):
    """For each character, whether it lies in a macro invocation or an
    attribute named in ALLOWED, from its name to its closing delimiter."""
    inside = [False] * len(masked)
    stack = []
    for i, c in enumerate(masked):
        if c in "([{":
            stack.append(name_before(masked, i))
        elif c in ")]}" and stack:
            start, name = stack.pop()
            if name in ALLOWED:
                inside[start : i + 1] = [True] * (i + 1 - start)
    return inside


def name_before(masked, i):
    """(where it starts, name) of the macro or attribute whose body opens at
    `i`; the name is None for any other group."""
    macro = MACRO_BEFORE.search(masked, max(0, i - 200), i)
    if macro:
        return macro.start(), macro.group(1) + "!"
    attribute = ATTRIBUTE_BEFORE.search(masked, max(0, i - 200), i)
    if attribute:
        return attribute.start(), f"#[{attribute.group(1)}]"
    return i, None


def perturb(src, is_code):
    """The source with every line that starts in code stripped of its
    indentation, every single space between two code tokens doubled and a
    space put after each opening parenthesis followed by code (these catch a
    skipped statement that fits on one line). `is_code` is False for
    characters to leave alone."""
    out, line_start = [], True
    for i, c in enumerate(src):
        if c == "\n":
            line_start = True
        elif line_start and c in " \t" and is_code[i]:
            continue
        else:
            line_start = False
            if c == " " and is_code[i] and between_tokens(src, is_code, i):
                out.append(" ")
        out.append(c)
        if c == "(" and is_code[i] and code_follows(src, is_code, i):
            out.append(" ")
    return "".join(out)


def code_follows(src, is_code, i):
    """Whether a code token other than a closing one follows `i` at once."""
    return i + 1 < len(src) and is_code[i + 1] and src[i + 1] not in " \t\n)"


def between_tokens(src, is_code, i):
    """Whether code is on both sides of `i`, with no space beside it."""
    return (
        0 < i < len(src) - 1
        and is_code[i - 1]
        and is_code[i + 1]
        and src[i - 1] not in " \t\n"
        and src[i + 1] not in " \t\n"
    )


def rustfmt(text):
    done = subprocess.run(
        ["rustfmt", "--edition", "2021", "--emit", "stdout"] + CONFIG,
        input=text,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or "rustfmt failed")
    return done.stdout


def probe(path):
    """(path, regions, note): regions are (first, last) lines."""
    with open(path, encoding="utf-8") as f:
        src = f.read()
    try:
        formatted = rustfmt(src)
        masked, is_code = mask(formatted)
        inside = allowed_bodies(masked)
        to_perturb = [code and not a for code, a in zip(is_code, inside)]
        reformatted = rustfmt(perturb(formatted, to_perturb))
    except (RuntimeError, ValueError, IndexError) as e:
        return path, [], f"not probed: {e}"
    note = "" if formatted == src else "not rustfmt-clean: lines are after formatting"
    masked_lines = masked.split("\n")
    matcher = difflib.SequenceMatcher(
        None, formatted.split("\n"), reformatted.split("\n"), autojunk=False
    )
    regions = []
    for tag, a0, a1, _, _ in matcher.get_opcodes():
        if tag == "equal" or a0 == a1:
            continue
        first, last = a0 + 1, a1
        if first == last and LONE_LITERAL.match(masked_lines[a0]):
            continue
        regions.append((first, last))
    return path, regions, note


def tracked_files():
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *(r + "*.rs" for r in ROOTS)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [p for p in listed.split("\0") if p and os.path.exists(p)]


def main(argv):
    files = argv or tracked_files()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for path, regions, note in sorted(pool.map(probe, files)):
            if note:
                print(f"{path}: {note}")
                failed += note.startswith("not probed")
            for first, last in regions:
                failed += 1
                print(f"{path}:{first}" + (f"-{last}" if last > first else ""))
    print(f"{failed} region(s) rustfmt does not format")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
