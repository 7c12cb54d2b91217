#!/usr/bin/env python3
"""Regenerates assets/variants/variants.tsv: for every CJK ideograph that has
a variant form, the one character that stands for its class, so that search
keys fold 髙橋 to 高橋, 𠮷田 to 吉田, 渡邊 and 渡邉 to 渡辺, 齋藤, 齊藤 and 斎藤 to 斉藤.

Sources (both from Debian's archive, fetched with `apt-get download`):
- KANJIDIC2 (package kanjidic-xml), the Electronic Dictionary Research and
  Development Group's kanji dictionary, CC BY-SA 4.0 (EDRDG licence
  statement): its <variant> cross-references between JIS X 0208/0212/0213
  kanji (沢~澤, 辺~邊~邉, 浜~濱~濵, 斎~齋, 斉~齊).
- The Unicode Character Database's Unihan (package unicode-data), Unicode
  licence: kZVariant (the same character, glyph differences only),
  kCompatibilityVariant, kJoyoKanji / kJinmeiyoKanji (the Cabinet's and the
  Ministry of Justice's own pairing of an old form with its standard one),
  and kSemanticVariant / kSpoofingVariant for the IBM and JIS X 0213 name
  characters that KANJIDIC2 lacks (髙~高, 﨑~崎, 𠮷~吉).

Variant relations are joined into classes; a class never joins two
characters that the Jōyō kanji table lists separately (that would be two
different words, not two spellings of one), with one exception, see JOINED.
Each class's representative is its Jōyō kanji, else its Jinmeiyō kanji,
else its JIS X 0208 character, else its lowest code point; the table lists
every other member with that representative, so the fold is idempotent.
Compatibility ideographs are left out: NFKC folds them before the table.

Run: python3 scripts/gen-variant-data.py
"""

import bz2
import gzip
import pathlib
import re
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

OUT = pathlib.Path(__file__).resolve().parents[1] / "assets" / "variants" / "variants.tsv"

# 斉 (齊) and 斎 (齋) are two Jōyō kanji, but as the first character of the
# surname さいとう (斉藤, 斎藤, 齊藤, 齋藤) a Japanese user expects each to
# find the others. Unihan records 齊 and 齋 as specialized semantic variants
# (kSpecializedSemanticVariant U+9F4A ~ U+9F4B, after Fenn), the published
# link this join rests on; it is the only join across the Jōyō table.
JOINED = [("\u9f4a", "\u9f4b")]


def debian_package(name, tmp):
    subprocess.run(["apt-get", "download", name], cwd=tmp, check=True, capture_output=True)
    deb = next(pathlib.Path(tmp).glob(f"{name}_*.deb"))
    root = pathlib.Path(tmp) / name
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root, deb.name


def is_ideograph(c):
    cp = ord(c)
    return (0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF)


def nfkc_changes(c):
    return unicodedata.normalize("NFKC", c) != c


def code_points(value):
    return [chr(int(h, 16)) for h in re.findall(r"U\+([0-9A-F]+)", value)]


def loose_targets(value):
    """The targets of a semantic or spoofing variant that can be trusted:
    those a dictionary marks as the same character (":Z" in the source
    annotation, as Morohashi does for 﨑~崎), else the only one."""
    tokens = value.split()
    same = [t for t in tokens if re.search(r"<[^ ]*:[A-Z]*Z", t)]
    chosen = same or (tokens if len(tokens) == 1 else [])
    return [t for token in chosen for t in code_points(token)]


def unihan(root):
    fields = {}
    for part in ["Variants", "OtherMappings", "IRGSources"]:
        path = root / "usr/share/unicode" / f"Unihan_{part}.txt.bz2"
        for line in bz2.open(path, "rt", encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            cp, field, value = line.rstrip("\n").split("\t")
            fields.setdefault(field, []).append((chr(int(cp[2:], 16)), value))
    return fields


def kanjidic_edges(root):
    tree = ET.parse(gzip.open(root / "usr/share/edict/kanjidic2.xml.gz"))
    by_jis = {}
    entries = []
    jis208 = set()
    for ch in tree.getroot().iter("character"):
        literal = ch.findtext("literal")
        for cp in ch.iter("cp_value"):
            by_jis[(cp.get("cp_type"), cp.text)] = literal
            if cp.get("cp_type") == "jis208":
                jis208.add(literal)
        entries.append((literal, [(v.get("var_type"), v.text) for v in ch.iter("variant")]))
    edges = []
    for literal, variants in entries:
        for kind, value in variants:
            if kind == "ucs":
                edges.append((literal, chr(int(value, 16))))
            elif (kind, value) in by_jis:
                edges.append((literal, by_jis[(kind, value)]))
    return edges, jis208


def main():
    with tempfile.TemporaryDirectory() as tmp:
        ucd_root, ucd_deb = debian_package("unicode-data", tmp)
        kd_root, kd_deb = debian_package("kanjidic-xml", tmp)
        fields = unihan(ucd_root)
        kd, jis208 = kanjidic_edges(kd_root)

    joyo = {c for c, v in fields["kJoyoKanji"] if "U+" not in v}
    jinmei = {c for c, v in fields["kJinmeiyoKanji"] if "U+" not in v}
    edges = list(kd)
    for field in ["kJoyoKanji", "kJinmeiyoKanji", "kZVariant", "kCompatibilityVariant"]:
        edges += [(c, t) for c, v in fields[field] for t in code_points(v)]
    # Semantic and spoofing variants are looser (濱~瀕 are two words): only
    # for characters outside KANJIDIC2, which has judged the others.
    judged = {c for edge in kd for c in edge} | jis208
    for field in ["kSemanticVariant", "kSpoofingVariant"]:
        edges += [(c, t) for c, v in fields[field] if c not in judged for t in loose_targets(v)]

    parent = {}

    def find(c):
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    standard = {}  # root -> the Jōyō kanji in its class, if any

    def union(a, b, force=False):
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        sa, sb = standard.get(ra), standard.get(rb)
        if sa and sb and sa != sb and not force:
            return
        parent[rb] = ra
        standard[ra] = sa or sb

    for c in joyo:
        standard[find(c)] = c
    for a, b in edges:
        if is_ideograph(a) and is_ideograph(b):
            union(a, b)
    for a, b in JOINED:
        union(a, b, force=True)

    classes = {}
    for c in list(parent):
        classes.setdefault(find(c), []).append(c)

    def rank(c):
        return (nfkc_changes(c), c not in joyo, c not in jinmei, c not in jis208, ord(c))

    rows = []
    for members in classes.values():
        if len(members) < 2:
            continue
        rep = min(members, key=rank)
        # NFKC already folds compatibility ideographs before the table is read.
        rows += [(m, rep) for m in members if m != rep and not nfkc_changes(m)]
    rows.sort(key=lambda r: ord(r[0]))
    header = (f"# Variant kanji and the character that stands for their class, generated by\n"
              f"# scripts/gen-variant-data.py from Debian's {kd_deb} (KANJIDIC2, EDRDG,\n"
              f"# CC BY-SA 4.0) and {ucd_deb} (Unihan, Unicode licence).\n")
    OUT.write_text(header + "".join(f"{v}\t{r}\n" for v, r in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} variants of {len({r for _, r in rows})} characters")


main()
