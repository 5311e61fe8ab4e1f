"""YAML read from several threads at once, as the workbench's worker threads do: ruamel's loader keeps
the state of the document it reads, so one loader shared by the threads mixed their documents up
(the load test, bench/load.py, saw "YAML syntax error" and IndexError in a valid issue.yaml). Each read
is of a text of its own: what ruamel read is kept by its text, and a text read again is not read by it."""
from __future__ import annotations

import threading
from pathlib import Path

from bulletin.store.loaders import parse_yaml

# flow lists and an alias: not the plain forms the fast reader takes, so ruamel reads it
TEXT = "number: 10\ndate: 2026-11-20\nnote: &n 本期编者按\nagain: *n\narticles: [01-first.md, 02-second.md, 03-third.md]\n" + \
    "".join(f"extra{i}: {{title: 第{i}篇, pages: [1, 2, 3]}}\n" for i in range(30))


def test_yaml_read_in_many_threads_at_once_reads_each_document_whole():
    expected = parse_yaml(TEXT, Path("issue.yaml")).data
    failures: list[str] = []
    start = threading.Barrier(8)

    def read_many():
        start.wait()
        for n in range(60):
            try:
                text = f"{TEXT}read: {threading.get_ident()}-{n}\n"
                if parse_yaml(text, Path("issue.yaml")).data != {**expected, "read": f"{threading.get_ident()}-{n}"}:
                    failures.append("a different document")
            except Exception as exc:  # noqa: BLE001 — any failure is the finding
                failures.append(repr(exc))

    threads = [threading.Thread(target=read_many) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
