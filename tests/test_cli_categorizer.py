"""`flask categorizer train|evaluate` through the app, and the engine using what it trained."""

from __future__ import annotations

import csv
import random

from finance_app.extensions import db
from finance_app.ml import read_labelled_csv
from finance_app.ml.training import SHIPPED_TRAINING_CSV
from finance_app.models.categorization import CategorySuggestion
from finance_app.services.categorization import categorize
from finance_app.services.categorization.learning import load_base
from finance_app.services.categorization.settings import current_settings
from tests.factories import category, imported, make_user, scope_of


def write_sample(path, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["description", "category"])
        writer.writerows([r.description, r.category] for r in rows)


def test_train_then_evaluate_end_to_end(app, tmp_path):
    rng = random.Random(3)
    by_category: dict[str, list] = {}
    for row in read_labelled_csv(SHIPPED_TRAINING_CSV):
        by_category.setdefault(row.category, []).append(row)
    train = [r for rows in by_category.values() for r in rng.sample(rows, 60)]
    test = [r for rows in by_category.values() for r in rng.sample(rows, 5)]
    write_sample(tmp_path / "train.csv", train)
    write_sample(tmp_path / "test.csv", test)
    runner = app.test_cli_runner()
    assert "train" in runner.invoke(args=["categorizer", "--help"]).output

    with app.app_context():
        assert load_base(current_settings()) is None
    result = runner.invoke(args=["categorizer", "train", "--train", str(tmp_path / "train.csv")])
    assert result.exit_code == 0, result.output
    assert "version=" in result.output

    result = runner.invoke(args=["categorizer", "evaluate", str(tmp_path / "test.csv"),
                                 "--train", str(tmp_path / "train.csv")])
    assert result.exit_code == 0, result.output
    assert "accuracy=" in result.output and "auto_precision=" in result.output

    with app.app_context():
        uid = make_user().id
        payroll = imported(uid, "[credit] ORIG CO NAME:GLOBEX CO ENTRY DESCR:PAYROLL", "3100.00")
        categorize(db.session, scope_of(uid), [payroll])
        suggestion = db.session.get(CategorySuggestion, payroll.id)
        # the trained model was used: it decided, or it left its top-3 for review
        if payroll.category_source == "model":
            assert payroll.category_id == category(uid, "Income").id
        else:
            assert suggestion is not None and suggestion.suggestions
