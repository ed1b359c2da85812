"""Tests for finance_app/ml/cli.py: `categorizer train` and `categorizer evaluate`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from finance_app.ml import storage
from finance_app.ml.cli import categorizer_cli
from finance_app.ml.training import LabelledRow


@pytest.fixture()
def cli_app(tmp_path: Path) -> Flask:
    app = Flask(__name__)
    app.config["MODEL_DIR"] = str(tmp_path / "models")
    app.cli.add_command(categorizer_cli)
    return app


@pytest.fixture()
def train_csv(write_csv, small_rows: list[LabelledRow]) -> Path:
    rows = [[r.description, r.category] for r in small_rows[::3]]
    return write_csv("train.csv", ["description", "category"], rows)


def test_train_stores_a_current_version(cli_app: Flask, train_csv: Path) -> None:
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["categorizer", "train", "--train", str(train_csv)])
    assert result.exit_code == 0, result.output
    version = re.search(r"^version=(\S+)$", result.output, re.M)
    assert version is not None
    model_dir = cli_app.config["MODEL_DIR"]
    assert storage.current_base_version(model_dir) == version.group(1)
    storage.clear_model_cache()


def test_evaluate_prints_metrics_last(cli_app: Flask, train_csv: Path, write_csv) -> None:
    test = write_csv(
        "test.csv",
        ["description", "category", "amount"],
        [["OVERDRAFT FEE", "Fees", "-35"], ["[credit] ACME PAYROLL PPD", "Income", "2000"]],
    )
    result = cli_app.test_cli_runner().invoke(
        args=["categorizer", "evaluate", str(test), "--train", str(train_csv), "--threshold", "0.5"]
    )
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert re.fullmatch(
        r"accuracy=\d\.\d{3} macro_f1=\d\.\d{3} auto_rate=\d\.\d{3} auto_precision=\d\.\d{3}", last
    )
