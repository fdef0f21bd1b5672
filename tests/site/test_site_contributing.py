"""The contributor guide's examples are real: each YAML example verifies, except the one
shown failing, which fails the way the guide says."""
import re
from pathlib import Path

import yaml

from generator.catalogue import load_catalogue
from generator.run import verify_all

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "contributing.md"


def examples() -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", GUIDE.read_text(), re.S | re.M)


def test_every_example_in_the_guide_checks_as_described(tmp_path):
    blocks = examples()
    assert len(blocks) >= 4
    entries_text = []
    for k, block in enumerate(blocks):
        data = yaml.safe_load(block)
        if isinstance(data, dict):          # a whole file
            (tmp_path / f"file{k}.yaml").write_text(block)
        else:
            entries_text.append(block)
    (tmp_path / "entries.yaml").write_text(
        "table: examples\ntitle: Examples\nentries:\n" + "\n".join(entries_text))
    entries, problems = load_catalogue([str(tmp_path)])
    assert not problems, problems
    results = {r.entry.id: r for r in verify_all(entries, jobs=1)}
    assert set(results) >= {"vv-linear-map", "ex-log-det", "ex-matrix-times-vector-function",
                            "ex-inverse-differential", "ex-quadratic-form-wrong"}
    for eid, r in results.items():
        if eid == "ex-quadratic-form-wrong":
            assert any(f.startswith("numeric level failed at sizes") and "the engine derives"
                       in f for f in r.failures), r.failures
        else:
            assert r.passed, (eid, r.failures)
    erratum = [c for c, chk in results["ex-log-det"].claims if c.erratum]
    assert erratum and not any(chk.holds for c, chk in results["ex-log-det"].claims
                               if c.erratum)
