"""`flask categorizer train|evaluate`: train and store the base model, or measure one on a CSV."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from finance_app.ml.evaluation import format_metrics, score_predictions
from finance_app.ml.model import AUTO_THRESHOLD
from finance_app.ml.storage import save_base_model
from finance_app.ml.training import (
    SHIPPED_TRAINING_CSV,
    read_labelled_csv,
    train_base_model,
)

categorizer_cli = AppGroup("categorizer", help="Train and evaluate the transaction categorizer.")


@categorizer_cli.command("train")
@click.option(
    "--train", "train_csv", type=click.Path(exists=True, dir_okay=False),
    default=str(SHIPPED_TRAINING_CSV), show_default=True, help="Labelled CSV to train on.",
)  # fmt: skip
def train_command(train_csv: str) -> None:
    """Train the base model and store it as the current version under MODEL_DIR."""
    model = train_base_model(read_labelled_csv(train_csv))
    path = save_base_model(model, current_app.config["MODEL_DIR"])
    click.echo(f"version={model.version}")
    click.echo(f"stored={path}")
    for key, value in model.info.items():
        click.echo(f"{key}={value}")


@categorizer_cli.command("evaluate")
@click.argument("test_csv", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--train", "train_csv", type=click.Path(exists=True, dir_okay=False),
    default=str(SHIPPED_TRAINING_CSV), show_default=True, help="Labelled CSV to train on.",
)  # fmt: skip
@click.option("--threshold", type=float, default=AUTO_THRESHOLD, show_default=True)
def evaluate_command(test_csv: str, train_csv: str, threshold: float) -> None:
    """Train on TRAIN, predict TEST_CSV (description,category[,amount]) and print the metrics."""
    model = train_base_model(read_labelled_csv(train_csv))
    test_rows = read_labelled_csv(test_csv)
    predictions = model.predict(
        [r.description for r in test_rows], [r.amount for r in test_rows]
    )
    metrics = score_predictions([r.category for r in test_rows], predictions, threshold)
    click.echo(f"train_rows={model.info['rows']} test_rows={len(test_rows)}")
    click.echo(format_metrics(metrics))
