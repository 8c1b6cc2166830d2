"""The validate, folder and mapping commands end to end, as separate processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import insert

from retrovue_desktop.store import models as m
from retrovue_desktop.store.engine import create_engine_for, make_session_factory

EXE = str(Path(sys.executable).parent / "retrovue-desktop")
MEDIA = Path(__file__).parent / "media"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def _failed(done: subprocess.CompletedProcess[str], words: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr


def test_folder_libraries(tmp_path: Path) -> None:
    db = ("--database", f"sqlite:///{tmp_path / 'cli.db'}")
    ads = tmp_path / "Spots"
    ads.mkdir()
    for name in ("bars_3s.mp4", "clip_title.mp4", "with_chapters.mkv"):
        shutil.copy2(MEDIA / name, ads / name)
    (ads / "readme.txt").write_text("x")

    added = _ok(_run(*db, "folder", "add", str(ads), "--kind", "ad"))
    assert f"Added the ad library 'Spots' at {ads}." in added
    assert "Spots: 3 added, 0 updated, 0 unavailable, 0 unchanged, 1 other files skipped" in added

    (ads / "bars_3s.mp4").unlink()
    scanned = _run(*db, "folder", "scan")
    assert "Spots: 0 added, 0 updated, 1 unavailable, 2 unchanged" in _ok(scanned)
    assert "Spots: reading files" in scanned.stderr  # progress goes to stderr

    checked = _run(*db, "validate", "--library", "Spots", "--probe")
    assert _ok(checked).strip() == "Spots: 3 checked: 2 ok, 1 missing"
    assert "Spots: checking files: 3/3" in checked.stderr

    _failed(_run(*db, "folder", "add", str(ads / "readme.txt"), "--kind", "ad"),
            "is a file, not a folder")  # fmt: skip
    _failed(_run(*db, "folder", "scan", "--library", "Nope"),
            "There is no local-folder library called 'Nope' (known: Spots).")  # fmt: skip
    _failed(_run(*db, "validate", "--library", "Nope"), "There is no library called 'Nope'")
    bad_kind = _run(*db, "folder", "add", str(ads), "--kind", "sitcom")
    assert bad_kind.returncode == 2 and "invalid choice" in bad_kind.stderr
    shutil.rmtree(ads)
    _failed(_run(*db, "folder", "scan"), "is not there: connect the drive")


def test_mappings_and_plex_validation(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plex.db'}"
    db = ("--database", url)
    _ok(_run(*db, "db", "upgrade"))
    nas = tmp_path / "nas"
    (nas / "Cheers").mkdir(parents=True)
    shutil.copy2(MEDIA / "bars_3s.mp4", nas / "Cheers" / "s01e01.mp4")
    engine = create_engine_for(url)
    with make_session_factory(engine)() as session, session.begin():
        server = session.execute(
            insert(m.PlexServer)
            .values(name="Den", platform="Windows", machine_identifier="abc")
            .returning(m.PlexServer.id)
        ).scalar_one()
        library = session.execute(
            insert(m.Library)
            .values(server_id=server, plex_library_key="2", title="TV", library_type="show",
                    locations_json='["D:\\\\TV", "E:\\\\More TV"]')
            .returning(m.Library.id)
        ).scalar_one()  # fmt: skip
        session.execute(
            insert(m.MediaFile),
            [
                {"library_id": library, "plex_file_path": "d:\\tv\\Cheers\\s01e01.mp4",
                 "file_size_bytes": (nas / "Cheers" / "s01e01.mp4").stat().st_size,
                 "duration_ms": 3000, "video_codec": "h264", "audio_codec": "aac"},
                {"library_id": library, "plex_file_path": "E:\\More TV\\x.mkv"},
            ],
        )  # fmt: skip
    engine.dispose()

    unmapped = _ok(_run(*db, "validate"))
    assert unmapped.strip() == "TV: 2 checked: 2 unmapped"
    listed = _ok(_run(*db, "mapping", "list", "--library", "TV"))
    assert "'TV' has no path mappings yet." in listed
    assert "Plex folder: D:\\TV  (not mapped)" in listed

    added = _ok(_run(*db, "mapping", "add", "--library", "TV", "D:\\TV", str(nas)))
    assert f"'TV': D:\\TV is found at {nas}." in added
    _failed(_run(*db, "mapping", "add", "--library", "TV", "d:/tv/", str(nas)),
            "'TV' already maps D:\\TV")  # fmt: skip
    _failed(_run(*db, "mapping", "add", "--library", "TV", "E:\\More TV", "relative/path"),
            "is a relative path")  # fmt: skip
    _failed(_run(*db, "mapping", "add", "--library", "Movies", "/x", str(nas)),
            "There is no Plex library called 'Movies'")  # fmt: skip

    listed = _ok(_run(*db, "mapping", "list", "--library", "TV")).splitlines()
    assert listed[0].split("\t")[1:] == ["D:\\TV", str(nas)]
    assert "Plex folder: D:\\TV" in listed and "Plex folder: E:\\More TV  (not mapped)" in listed

    checked = _ok(_run(*db, "validate", "--probe"))
    assert checked.strip() == "TV: 2 checked: 1 ok, 1 unmapped"

    mapping_id = listed[0].split("\t")[0]
    assert f"Removed path mapping {mapping_id}." in _ok(_run(*db, "mapping", "remove", mapping_id))
    _failed(_run(*db, "mapping", "remove", mapping_id), f"no path mapping with id {mapping_id}")
    _failed(_run(*db, "mapping", "add", "--library", "TV", "/x", str(tmp_path / "absent")),
            "does not exist on this computer")  # fmt: skip


def test_nothing_to_do(tmp_path: Path) -> None:
    db = ("--database", f"sqlite:///{tmp_path / 'empty.db'}")
    _failed(_run(*db, "validate"), "No libraries to validate")
    _failed(_run(*db, "folder", "scan"), "No local-folder libraries yet")
