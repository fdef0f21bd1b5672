"""Verifying many entries: the progress bar shows on a terminal only, names the slowest
entries, and every entry's time is recorded."""
from __future__ import annotations

import io
import textwrap

from generator.catalogue import load_catalogue
from generator.run import Progress, verify_all


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Result:
    def __init__(self, entry_id: str, seconds: float):
        self.entry = type("E", (), {"id": entry_id})()
        self.seconds = seconds


def test_the_bar_is_quiet_when_not_a_terminal():
    stream = io.StringIO()
    p = Progress(3, stream)
    p.done(Result("a", 1.0))
    p.close()
    assert p.bar is None and stream.getvalue() == ""


def test_the_bar_shows_entries_done_and_the_slowest(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    stream = Terminal()
    p = Progress(3, stream)
    for eid, t in (("fast", 0.1), ("slow", 2.5), ("middle", 0.7)):
        p.done(Result(eid, t))
    p.bar.refresh()
    text = stream.getvalue()
    p.close()
    assert "3/3" in text and "slowest: slow 2.5s, middle 0.7s, fast 0.1s" in text


def test_an_empty_run_shows_no_bar(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    assert Progress(0, Terminal()).bar is None


def test_each_result_records_its_time(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(textwrap.dedent("""\
        table: t
        entries:
        - id: r-scaled
          name: Scaled vector
          symbols: {a: {}, x: {shape: [n]}}
          of: y[i] = a * x[i]
          wrt: x[k]
          derivative: a * delta[i,k]
        """))
    entries, problems = load_catalogue([str(path)])
    assert not problems
    [result] = verify_all(entries, 1, use_cache=False)
    assert result.passed and result.seconds > 0
