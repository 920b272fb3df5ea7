#!/usr/bin/env python3
"""Builds the retrieval-quality corpus from Debian man pages, offline once the packages are fetched: each page's NAME
line description is a query, its DESCRIPTION section the one relevant document (known-item search). The packages are
fetched with apt-get download and unpacked under the cache directory (nothing is installed on the machine), so the
corpus is the same wherever the same Debian release runs; the built corpus is cached as corpus.jsonl."""
import argparse
import concurrent.futures
import glob
import gzip
import json
import os
import re
import subprocess
import sys

# Documentation written by each project's own authors, in many styles: the Linux man-pages project (system calls,
# libc, file formats, overviews), Perl's documentation, OpenSSL, libcurl, Xlib and Xt, Tcl/Tk and tcllib, Open MPI,
# git, systemd, PostgreSQL's SQL reference, coreutils, util-linux and iproute2.
PACKAGES = ["manpages", "manpages-dev", "perl-doc", "libssl-doc", "libcurl4-doc", "libx11-doc", "libxt-dev", "tcl8.6-doc",
            "tk8.6-doc", "tcllib", "openmpi-doc", "git-man", "systemd", "libsystemd-dev", "postgresql-client-15", "coreutils",
            "util-linux", "iproute2"]
MAN_DIRS = ["usr/share/man/man*", "usr/share/postgresql/*/man/man*"]  # English pages only (translations live elsewhere)
MAX_DOC_CHARS = 3000  # the models read 128 tokens (~600 chars); BM25 gets this much of the section
DASHES = (" - ", " \u2212 ", " \u2014 ", " \u2013 ")


def fetch(cache):
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    missing = [p for p in PACKAGES if not glob.glob(os.path.join(debs, p + "_*.deb"))]
    if missing:
        run = lambda: subprocess.run(["apt-get", "download", *missing], cwd=debs, capture_output=True, text=True)
        result = run()
        if result.returncode != 0 and os.geteuid() == 0:  # a fresh machine may have no package lists yet
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            result = run()
        if result.returncode != 0:
            sys.exit("apt-get download failed:\n" + result.stderr)
    root = os.path.join(cache, "root")
    versions = []
    for deb in sorted(glob.glob(os.path.join(debs, "*.deb"))):
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        versions.append(os.path.basename(deb).split("_")[0] + " " + os.path.basename(deb).split("_")[1].replace("%3a", ":"))
    return root, versions


def render(path):
    """The page as plain text (groff with the man/mdoc macros and tbl), or None for an alias page (.so)."""
    with gzip.open(path, "rb") as f:
        source = f.read()
    if source.lstrip().startswith(b".so "):
        return None
    result = subprocess.run(["groff", "-mandoc", "-t", "-k", "-Tutf8", "-P-cbou", "-rLL=20000n", "-rcR=1"], input=source,
                            capture_output=True)
    return result.stdout.decode("utf-8", "replace")


def sections(text):
    """Section heading (a line starting at column 0) -> its paragraphs, each joined into one line."""
    out, current = {}, None
    for line in text.splitlines():
        if line and not line[0].isspace():
            current = line.strip().upper()
            out.setdefault(current, [[]])
        elif current is not None:
            if line.strip():
                out[current][-1].append(line.strip())
            elif out[current][-1]:
                out[current].append([])
    return {k: [" ".join(p) for p in v if p] for k, v in out.items()}


def page(path):
    text = render(path)
    if text is None:
        return None
    parts = sections(text)
    name = " ".join(parts.get("NAME", []))
    description = re.sub(r"\s+", " ", " ".join(parts.get("DESCRIPTION", []))).strip()
    cut = next((name.index(d) for d in DASHES if d in name), -1)
    if cut < 0 or len(description.split()) < 3:  # no NAME line, or an empty (or all but empty) DESCRIPTION
        return None
    query = re.sub(r"\s+", " ", name[cut + 3:]).strip()
    if len(description) > MAX_DOC_CHARS:
        description = description[:MAX_DOC_CHARS].rsplit(" ", 1)[0]
    return {"page": "/".join(path.split("/")[-2:]), "query": query, "text": description}


def build(cache):
    root, versions = fetch(cache)
    paths = sorted(p for d in MAN_DIRS for p in glob.glob(os.path.join(root, d, "*.gz")) if not os.path.islink(p))
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        pages = [p for p in pool.map(page, paths) if p is not None]
    seen_texts, docs = set(), []
    for p in pages:  # identical DESCRIPTIONs (generated pages, copies): keep the first
        if p["text"] not in seen_texts:
            seen_texts.add(p["text"])
            docs.append(p)
    counts = {}
    for d in docs:
        key = d["query"].lower().rstrip(".")
        counts[key] = counts.get(key, 0) + 1
    for i, d in enumerate(docs):
        d["id"] = str(i)
        # a description shared by several pages names no single one: such pages stay in the corpus, not as queries
        d["is_query"] = counts[d["query"].lower().rstrip(".")] == 1 and len(d["query"].split()) >= 2
    with open(os.path.join(cache, "corpus.jsonl.tmp"), "w") as f:
        f.write(json.dumps({"packages": versions, "pages": len(paths), "with_sections": len(pages)}) + "\n")
        for d in docs:
            f.write(json.dumps(d) + "\n")
    os.replace(os.path.join(cache, "corpus.jsonl.tmp"), os.path.join(cache, "corpus.jsonl"))


def load(cache):
    """(header, documents), building the corpus first when it is not cached."""
    path = os.path.join(cache, "corpus.jsonl")
    if not os.path.exists(path):
        build(cache)
    with open(path) as f:
        header = json.loads(f.readline())
        return header, [json.loads(line) for line in f]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", default="target/quality")
    args = parser.parse_args()
    header, docs = load(args.cache)
    print(json.dumps(header), len(docs), "documents,", sum(d["is_query"] for d in docs), "usable as queries")
