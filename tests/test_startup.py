"""Start-up stays light: creating the app and building its CLI imports no heavy library.

scikit-learn, scipy and pandas cost about a second and a half to import; the web process, every
`flask` command and every worker used to pay that before doing anything. They are imported by
the code that trains or reads a model, parses a spreadsheet or renders a PDF, when first needed.
Each check runs in a fresh interpreter, where sys.modules shows what start-up really imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Imported only by the work that needs them, never by start-up.
HEAVY = ("pandas", "sklearn", "scipy", "joblib", "openpyxl", "ofxtools", "reportlab", "plaid",
         "zxcvbn", "twilio", "requests", "email_validator")

CREATE_APP = """
import json, sys
from finance_app import create_app
app = create_app()
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""

BUILD_CLI = """
import json, sys
import click
from finance_app import create_app
app = create_app()
ctx = click.Context(app.cli)
for name in app.cli.list_commands(ctx):  # what `flask --help` does to list them
    command = app.cli.get_command(ctx, name)
    assert command is not None, name
    command.get_short_help_str()
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _heavy_imported(script: str, tmp_path: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["INSTANCE_PATH"] = str(tmp_path / "instance")
    result = subprocess.run(
        [sys.executable, "-c", script.format(heavy=HEAVY)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("script", [CREATE_APP, BUILD_CLI], ids=["create_app", "cli_group"])
def test_start_up_imports_no_heavy_library(script, tmp_path):
    assert _heavy_imported(script, tmp_path) == []


def test_the_categorizer_still_loads_scikit_learn_when_it_trains(tmp_path):
    # The lazy imports are real imports at the point of use, not a lost dependency.
    script = """
import json, sys
from finance_app.ml import LabelledRow, train_base_model
rows = [LabelledRow(f"{{shop}} STORE #{{i}}", category, -10.0 - i)
        for i in range(6)
        for shop, category in (("TESCO", "Groceries"), ("SHELL", "Transport"),
                               ("NETFLIX", "Subscriptions"), ("UBER", "Transport"),
                               ("ALDI", "Groceries"), ("SPOTIFY", "Subscriptions"))]
model = train_base_model(rows, folds=2, n_features=2**12)
prediction = model.predict(["TESCO STORE #3"], [-13.0])[0]
print(json.dumps([prediction.category in model.labels, "sklearn" in sys.modules]))
"""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True]


def test_wsgi_entry_point_freezes_the_start_up_heap(tmp_path):
    """The server's modules, models and routes are out of the collector's sight (a full
    collection walked all of them, some 150 ms on a random request)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["INSTANCE_PATH"] = str(tmp_path / "instance")
    script = ("import gc, json, wsgi; "
              "print(json.dumps([gc.get_freeze_count(), len(gc.get_objects())]))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    frozen, still_tracked = json.loads(result.stdout.strip().splitlines()[-1])
    assert frozen > 100_000
    assert still_tracked < frozen / 10
