"""bulletin.portable: references Windows would read as another file, a device or another disk."""
import pytest

from bulletin.portable import windows_problem


@pytest.mark.parametrize("ref, words", [
    ("C:/photo.png", "drive (C:)"), ("c:photo.png", "drive (c:)"), ("D:\\x.md", "drive (D:)"),
    ("sub\\photo.png", "backslash"), ("photo.png:hidden", "':'"),
    ("CON", "'CON'"), ("con.md", "'con.md'"), ("Aux.png", "'Aux.png'"), ("NUL.tar.gz", "'NUL.tar.gz'"),
    ("prn.jpg", "'prn.jpg'"), ("COM1.md", "'COM1.md'"), ("com9.png", "'com9.png'"), ("LPT1", "'LPT1'"),
    ("lpt9.docx.md", "'lpt9.docx.md'"), ("CON .md", "'CON .md'"), ("sub/aux/photo.png", "'aux'"),
    ("conin$.md", "'conin$.md'"), ("photo.png.", "'photo.png.'"), ("photo.png ", "'photo.png '"),
    ("sub./photo.png", "'sub.'"), ("sub /photo.png", "'sub '"),
])
def test_references_windows_reads_otherwise_are_named(ref, words):
    problem = windows_problem(ref)
    assert words in problem and "Windows" in problem


@pytest.mark.parametrize("ref", [
    "photo.png", "01-award.md", "sub/photo.png", "照片.png", "../photo.png", "./photo.png", "console.md",
    "con-report.md", "nullable.png", "COM10.md", "LPT.md", "aux1.md", "a.b.c.png", "报告 一.md",
])
def test_ordinary_references_pass(ref):
    assert windows_problem(ref) == ""
