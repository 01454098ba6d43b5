"""`make test` runs every app's tests: none may sit outside pytest's testpaths."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_folder_of_tests_is_in_the_test_paths():
    paths = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"][
        "testpaths"
    ]
    with_tests = {
        found.relative_to(ROOT).parts[0]
        for found in ROOT.glob("*/**/test_*.py")
        if found.relative_to(ROOT).parts[0] not in {".venv", "node_modules"}
    }

    assert with_tests <= set(paths)
