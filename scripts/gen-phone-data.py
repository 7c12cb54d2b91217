#!/usr/bin/env python3
"""Regenerates assets/phone/jp_groupings.tsv: where the hyphens of a Japanese
phone number go, and which lengths a prefix allows.

Source: libphonenumber's metadata for Japan as the `phonenumbers` package on
PyPI ships it (Apache-2.0): every number of the plan (landlines 0AB-J,
mobile 060/070/080/090, IP 050, M2M 020, free dial 0120/0800, navi dial
0570, 0990, carrier-prefixed 00xx), and which lengths are numbers at all.
Where libphonenumber and the Ministry's (総務省) published numbering plan
disagree, the plan wins: each case is listed in PLAN below with what the
plan says.

A line `prefix<TAB>digits<TAB>grouping` says: a number of that many digits
whose longest listed prefix is this one is grouped so (3-3-4), or is no
number at all (`none`). Every six-digit prefix is decided as above; the
table keeps a prefix only where its answer differs from its parent's (the
answer most of its descendants share).

Run: python3 scripts/gen-phone-data.py [phonenumbers version]
"""

import collections
import itertools
import pathlib
import subprocess
import sys
import tempfile

version = sys.argv[1] if len(sys.argv) > 1 else "9.0.43"
out = pathlib.Path(__file__).resolve().parents[1] / "assets" / "phone" / "jp_groupings.tsv"
LENGTHS = (10, 11)
NONE = "none"

# Where the Ministry's numbering plan and libphonenumber disagree, the plan:
# - 宮田 (福岡県宮若市) has the five-digit area code 09496 with one-digit
#   exchanges (総務省「市外局番の一覧」: 09496-X-XXXX); libphonenumber knows
#   only 0949 and writes 0949-6X-XXXX.
# - Free dial under 0800 is eleven digits in the plan (0800-DEF-GHJK), but
#   lists and implementations written when free dial meant 0120's ten digits
#   still quote 0800 numbers that way (parse_jp_phone_number's tests:
#   0800123456 → 0800-123-456); reading them as 0120's siblings keeps such a
#   number instead of refusing it.
PLAN = {("09496", 10): "5-1-4", ("0800", 10): "4-3-3"}


def libphonenumber_blocks(phonenumbers):
    """(six-digit prefix, length) → grouping or NONE, as libphonenumber
    formats the numbers of each block (its Japanese formats look at six
    digits at most); a block it splits more than one way is left out."""
    tails = ("2345", "5555", "9876")
    blocks = {}
    for p in range(100_000):
        prefix = f"0{p:05}"
        for length in LENGTHS:
            groupings = set()
            for tail in tails:
                digits = (prefix + tail)[:length].ljust(length, "0")
                try:
                    number = phonenumbers.parse(digits, "JP")
                except phonenumbers.NumberParseException:
                    continue  # 010 and some 00 prefixes start an international call
                national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
                if phonenumbers.is_valid_number(number) and national.replace("-", "") == digits:
                    groupings.add("-".join(str(len(g)) for g in national.split("-")))
            if len(groupings) <= 1:
                blocks[(prefix, length)] = groupings.pop() if groupings else NONE
    return blocks


def leaves(phonenumbers):
    """(six-digit prefix, length) → answer: libphonenumber's, then PLAN."""
    result = libphonenumber_blocks(phonenumbers)
    for (prefix, length), answer in PLAN.items():
        for rest in itertools.product("0123456789", repeat=6 - len(prefix)):
            result[(prefix + "".join(rest), length)] = answer
    return result


def compress(answers):
    """The fewest-lines-first table for one length: a prefix (two digits or
    more) is listed when the answer most of its leaves share differs from
    the one its parent passes down."""
    counts = collections.defaultdict(collections.Counter)
    for leaf, answer in answers.items():
        for n in range(2, 7):
            counts[leaf[:n]][answer] += 1
    table = {}

    def walk(node, inherited):
        answer = counts[node].most_common(1)[0][0]
        if answer != inherited:
            table[node] = answer
        for d in "0123456789":
            if node + d in counts and len(node) < 6:
                walk(node + d, answer)

    for root in sorted(n for n in counts if len(n) == 2):
        walk(root, None)
    return table


def lookup(table, digits):
    return next(table[digits[:n]] for n in range(6, 1, -1) if digits[:n] in table)


with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--target", tmp, f"phonenumbers=={version}"], check=True)
    sys.path.insert(0, tmp)
    import phonenumbers

    assert phonenumbers.__version__ == version, phonenumbers.__version__
    all_leaves = leaves(phonenumbers)

lines = []
for length in LENGTHS:
    answers = {leaf: a for (leaf, n), a in all_leaves.items() if n == length}
    table = compress(answers)
    assert all(lookup(table, leaf) == a for leaf, a in answers.items()), "a leaf lost its answer"
    lines += [f"{prefix}\t{length}\t{answer}" for prefix, answer in sorted(table.items())]

out.parent.mkdir(parents=True, exist_ok=True)
header = (
    "# Japanese phone numbers: prefix, number of digits, grouping (or none); the longest listed prefix decides.\n"
    f"# libphonenumber metadata, phonenumbers {version} (Apache-2.0), where the Ministry's plan agrees;\n"
    "# where it does not (09496, ten-digit 0800) the plan's: see PLAN in scripts/gen-phone-data.py.\n"
    "# Generated by scripts/gen-phone-data.py; do not edit.\n"
)
out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
print(f"{out}: {len(lines)} lines")
