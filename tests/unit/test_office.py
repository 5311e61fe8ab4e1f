"""bulletin.office.launcher: finding LibreOffice, a private profile with macros off, and ending the whole
process group when it does not finish. A fake soffice (a shell script) stands in for LibreOffice."""
import os
import stat
import sys
import time
from pathlib import Path

import pytest

from bulletin.errors import BulletinError
from bulletin.office import launcher as office
from bulletin.office import pdf

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a shell script")


def fake_soffice(folder: Path, body: str) -> Path:
    """An executable `soffice` in `folder` running `body` (sh); "$@" are LibreOffice's arguments."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "soffice"
    exe.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


# Records its arguments, environment and profile, then writes the output LibreOffice would write.
RECORDING = """
log="$(dirname "$0")/log"
for a in "$@"; do printf '%s\\n' "$a"; done > "$log.args"
printf '%s' "$FONTCONFIG_FILE" > "$log.env"
for a in "$@"; do case "$a" in -env:UserInstallation=file://*) cat "${a#-env:UserInstallation=file://}/user/registrymodifications.xcu" > "$log.xcu";; esac; done
out=""; fmt=""; prev=""
for a in "$@"; do
  [ "$prev" = "--outdir" ] && out="$a"; [ "$prev" = "--convert-to" ] && fmt="${a%%:*}"; prev="$a"
done
mkdir -p "$out"
for a in "$@"; do case "$a" in /*.docx|/*.doc) n=$(basename "$a"); printf 'made' > "$out/${n%.*}.$fmt";; esac; done
"""


@pytest.fixture
def bare_path(monkeypatch, tmp_path):
    """A PATH with no LibreOffice on it, on Linux."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(sys, "platform", "linux")


def test_missing_libreoffice_is_a_clear_message(bare_path, tmp_path):
    assert office.find_soffice() is None
    with pytest.raises(office.OfficeMissing):
        office.converter().convert(tmp_path / "a.docx", "pdf", tmp_path)
    with pytest.raises(BulletinError) as ei:
        pdf.convert(tmp_path / "a.docx")
    text = str(ei.value)
    assert "LibreOffice is not installed" in text and "libreoffice.org" in text and "Traceback" not in text


@pytest.mark.parametrize("platform, path", [
    ("win32", r"C:\Program Files\LibreOffice\program\soffice.exe"),
    ("win32", r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
    ("darwin", "/Applications/LibreOffice.app/Contents/MacOS/soffice"),
])
def test_found_where_the_windows_and_macos_installers_put_it(bare_path, monkeypatch, platform, path):
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(office.os.path, "isfile", lambda p: p == path)
    assert office.find_soffice() == path


def test_an_install_elsewhere_is_not_taken_for_another_platform(bare_path, monkeypatch):
    monkeypatch.setattr(office.os.path, "isfile", lambda p: p == office.WINDOWS_CANDIDATES[0])
    assert office.find_soffice() is None  # Linux: PATH only


def test_path_wins_and_libreoffice_is_the_second_name(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    exe = fake_soffice(tmp_path, "exit 0\n")
    exe.rename(tmp_path / "libreoffice")
    assert office.find_soffice() == str(tmp_path / "libreoffice")


def test_conversion_runs_headless_with_a_private_profile_without_macros(monkeypatch, tmp_path):
    bin_dir = tmp_path / "bin"
    fake_soffice(bin_dir, RECORDING)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    src = tmp_path / "in" / "submission.doc"
    src.parent.mkdir()
    src.write_bytes(b"\xd0\xcf\x11\xe0")
    made = office.converter(30).convert(src, "docx:MS Word 2007 XML", tmp_path / "out")
    assert made == tmp_path / "out" / "submission.docx" and made.read_text() == "made"
    args = (bin_dir / "log.args").read_text().splitlines()
    assert "--headless" in args and "--norestore" in args
    assert args[args.index("--convert-to") + 1] == "docx:MS Word 2007 XML" and args[-1] == str(src)
    profile = [a for a in args if a.startswith("-env:UserInstallation=file://")]
    assert profile and not Path(profile[0].split("file://", 1)[1]).exists()  # thrown away afterwards
    xcu = (bin_dir / "log.xcu").read_text()
    assert 'DisableMacrosExecution" oor:op="fuse"><value>true' in xcu and "BlockUntrustedRefererLinks" in xcu


def test_pdf_export_goes_through_the_launcher_with_the_font_map(monkeypatch, tmp_path):
    bin_dir = tmp_path / "bin"
    fake_soffice(bin_dir, RECORDING)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(pdf, "_gb_fonts_installed", lambda: False)
    docx = tmp_path / "issue.docx"
    docx.write_bytes(b"PK")
    assert pdf.convert(docx) == tmp_path / "issue.pdf" and (tmp_path / "issue.pdf").read_text() == "made"
    assert (bin_dir / "log.env").read_text().endswith("fonts.conf")
    assert "--convert-to" in (bin_dir / "log.args").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "issue.docx", "issue.pdf"]


# Starts a helper of its own (as LibreOffice starts soffice.bin), notes its pid, and never finishes.
HANGING = """
sleep 600 &
echo $! > "$(dirname "$0")/helper.pid"
wait
"""


def _gone(pid: int) -> bool:
    """True once `pid` no longer runs (a zombie waiting for init counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_libreoffice_that_hangs_is_ended_with_everything_it_started(monkeypatch, tmp_path):
    bin_dir = tmp_path / "bin"
    exe = fake_soffice(bin_dir, HANGING)
    src = tmp_path / "a.doc"
    src.write_bytes(b"x")
    with pytest.raises(office.OfficeTimeout) as ei:
        office.ColdConverter(timeout=0.5, exe=str(exe)).convert(src, "docx", tmp_path / "out")
    assert ei.value.timeout == 0.5
    helper = int((bin_dir / "helper.pid").read_text())
    for _ in range(500):  # the kill is sent; init reaps the orphan at its own pace
        if _gone(helper):
            break
        time.sleep(0.01)
    assert _gone(helper), "the helper LibreOffice started still runs"


def test_a_timeout_while_reading_a_submission_is_a_clear_message(monkeypatch, tmp_path):
    from bulletin.intake import legacy
    from bulletin.intake import submission as submissions

    bin_dir = tmp_path / "bin"
    fake_soffice(bin_dir, HANGING)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(legacy, "LIBREOFFICE_TIMEOUT", 0.5)
    src = tmp_path / "稿件.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(BulletinError) as ei:
        submissions.read_submission(src)
    assert "did not finish reading the file" in str(ei.value)
    helper = int((bin_dir / "helper.pid").read_text())
    for _ in range(500):
        if _gone(helper):
            break
        time.sleep(0.01)
    assert _gone(helper)


def test_the_converter_has_the_protocol_a_warm_one_will_implement():
    made = office.converter()
    assert isinstance(made, office.ColdConverter)
    assert callable(made.convert) and callable(made.convert_many)


# --- in Chinese -------------------------------------------------------------------------------------

@pytest.fixture
def chinese():
    from bulletin import i18n

    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_missing_libreoffice_is_said_in_chinese_with_the_file(bare_path, tmp_path, chinese):
    docx = tmp_path / "第10期.docx"
    with pytest.raises(BulletinError) as ei:
        pdf.convert(docx)
    (diagnostic,) = ei.value.diagnostics
    assert diagnostic.path == str(docx) and diagnostic.message == "未安装 LibreOffice，无法生成 PDF"
    assert diagnostic.hint == ("请安装 LibreOffice（Debian：apt-get install libreoffice-writer-nogui；Windows 和 "
                               "macOS：libreoffice.org），或去掉 --pdf，直接打印 .docx")


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_a_doc_without_libreoffice_is_refused_in_chinese_with_the_file(bare_path, tmp_path, chinese, suffix):
    from bulletin.intake.submission import read_submission

    src = tmp_path / f"市民政局稿件{suffix}"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(BulletinError) as ei:
        read_submission(src)
    (diagnostic,) = ei.value.diagnostics
    assert diagnostic.path == str(src)
    assert diagnostic.message == f"读取 {suffix} 文件需要 LibreOffice，但本机未安装"
    assert diagnostic.hint.startswith("请用 Word 或 WPS 打开并另存为 .docx")


def test_a_timeout_while_reading_a_submission_is_said_in_chinese(monkeypatch, tmp_path, chinese):
    from bulletin.intake import legacy
    from bulletin.intake.submission import read_submission

    bin_dir = tmp_path / "bin"
    fake_soffice(bin_dir, "exec sleep 30\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(legacy, "LIBREOFFICE_TIMEOUT", 1.0)
    src = tmp_path / "稿件.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(BulletinError) as ei:
        read_submission(src)
    (diagnostic,) = ei.value.diagnostics
    assert diagnostic.path == str(src) and diagnostic.message == "LibreOffice 未能在1秒内读完此文件"
    assert diagnostic.hint == "请用 Word 或 WPS 打开，另存为 Word 文档（.docx）"
