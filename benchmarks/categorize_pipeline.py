"""Benchmark: the categorization engine end to end on database rows, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/categorize_pipeline.py                 # everything
    .venv/bin/python benchmarks/categorize_pipeline.py --model-dir DIR # reuse a trained base model

Prints: categorize() of 50,000 imported rows (load, categorize + flush + commit) on SQLite and on
PostgreSQL, for a new user (base model only) and for a user with history and their own model;
categorize_ids() of 50,000 more rows (reading them included);
retraining a user model on 50,000 labels; the resident-memory growth of a process that loads the
base and a user model and categorizes; and the learning loop: a user with their own labels
(Amazon as Household, Starbucks as Coffee, Uber as Travel, every grocery as Food) corrects the
first 3 months, then the next 12 months are imported and categorized through categorize().
PostgreSQL uses a scratch database created through BENCH_PG_ADMIN_URL and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sqlalchemy as sa  # noqa: E402
from machine import python_speed, spread  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "BENCH_PG_ADMIN_URL",
    os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)
ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))


def make_app(url: str, model_dir: str, instance: str):  # type: ignore[no-untyped-def]
    from finance_app import create_app

    return create_app({
        "INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": url, "MODEL_DIR": model_dir,
        "SECRET_KEY": "bench-" + "x" * 40, "TOKEN_ENCRYPTION_KEY": "", "REDIS_URL": None,
        "RATELIMIT_ENABLED": False, "MAIL_SUPPRESS_SEND": True,
    })


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def bank_rows(n: int, seed: int) -> list[tuple[str, Decimal]]:
    """Shipped bank strings without their [debit]/[credit] marker, signed amounts instead,
    half of them with a fresh reference number as banks print them."""
    from finance_app.ml import read_labelled_csv
    from finance_app.ml.training import SHIPPED_TRAINING_CSV

    rng = random.Random(seed)
    source = read_labelled_csv(SHIPPED_TRAINING_CSV)
    out = []
    for _ in range(n):
        row = rng.choice(source)
        text = row.description
        sign = 1 if text.startswith("[credit]") else -1
        text = text.replace("[debit] ", "").replace("[credit] ", "")
        if rng.random() < 0.5:
            text = f"{text} {rng.randint(10**5, 10**7)}"
        cents = rng.randint(300, 40000)
        out.append((text[:500], Decimal(sign * cents) / 100))
    return out


def new_user(session, email: str):  # type: ignore[no-untyped-def]
    from finance_app.models.ledger import Account
    from finance_app.services.households.membership import member_scope
    from finance_app.services.identity import users

    user = users.create_user(session, email, "bench-password-horse-42", "Bench",
                             check_strength=False)
    scope = member_scope(session, user)
    account = Account(household_id=scope.household_id, owner_id=user.id, name="Checking",
                      currency="USD")
    session.add(account)
    session.flush()
    return user, account, scope


def insert_rows(session, household_id: int, user_id: int, account_id: int, rows,  # type: ignore[no-untyped-def]
                start: date) -> list[int]:
    from finance_app.db import utcnow
    from finance_app.models.ledger import SOURCE_IMPORT, Transaction

    now = utcnow()
    ids: list[int] = []
    for offset in range(0, len(rows), 5000):
        chunk = rows[offset : offset + 5000]
        values = [{
            "household_id": household_id, "created_by_id": user_id, "account_id": account_id,
            "date": start + timedelta(days=(offset + i) % 365), "amount": amount,
            "raw_description": text, "merchant": "", "notes": "", "is_pending": False,
            "is_excluded": False, "source": SOURCE_IMPORT, "provider_category": "",
            "locked_fields": [], "created_at": now, "updated_at": now,
            "fingerprint": uuid.uuid4().hex,
        } for i, (text, amount) in enumerate(chunk)]
        ids += list(session.scalars(sa.insert(Transaction).returning(Transaction.id), values))
    session.commit()
    return ids


def forget_decisions(session, household_id: int) -> None:  # type: ignore[no-untyped-def]
    """Undo what categorize() wrote and empty the per-string caches, for a repeated cold run."""
    from finance_app.ml import brands, features, lexicon, merchants

    session.execute(sa.text(
        "UPDATE transactions SET category_id = NULL, category_source = NULL, "
        "category_confidence = NULL, merchant = '' WHERE household_id = :h"), {"h": household_id})
    session.execute(sa.text("DELETE FROM category_suggestions WHERE household_id = :h"),
                    {"h": household_id})
    session.commit()
    engine = session.get_bind()
    if engine.dialect.name == "postgresql":  # the undo left a dead copy of every row behind
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE transactions")
    for cached in (features._clean, features._meta_cached, features._lexicon_tokens,
                   merchants._normalize, merchants.mask_digits, merchants._merchant_key,
                   brands._brand_categories, lexicon.hint_tokens):
        cached.cache_clear()


def timed_categorize(app, scope, ids: list[int]) -> tuple[float, float, dict]:  # type: ignore[no-untyped-def]
    from finance_app.extensions import db
    from finance_app.models.ledger import Transaction
    from finance_app.services.categorization import categorize

    db.session.expunge_all()
    started = time.perf_counter()
    txns = list(db.session.scalars(sa.select(Transaction).where(Transaction.id.in_(ids))))
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    summary = categorize(db.session, scope, txns)
    db.session.flush()
    db.session.commit()
    seconds = time.perf_counter() - started
    return loaded, seconds, {**summary.decided, "review": summary.review}


def timed_decide_new(label: str, scope, account_id: int) -> None:  # type: ignore[no-untyped-def]
    """decide_new() of 50,000 rows not written yet: what the import job runs before its insert
    (the decisions are then written with the rows, not by an UPDATE of each)."""
    from finance_app.extensions import db
    from finance_app.services.categorization import NewTransaction, decide_new

    new = [NewTransaction(text, amount, account_id, date(2026, 6, 1))
           for text, amount in bank_rows(ROWS, seed=21)]
    runs = []
    for _ in range(REPEATS):
        forget_decisions(db.session, scope.household_id)
        started = time.perf_counter()
        decisions, summary = decide_new(db.session, scope, new)
        runs.append(time.perf_counter() - started)
    print(f"[{label}] decide_new {len(decisions):,} rows not written yet (the import path), "
          f"new user: {spread(runs)}  {dict(summary.decided, review=summary.review)}")


def speed_run(label: str, url: str, model_dir: str) -> None:
    from finance_app.db import utcnow
    from finance_app.extensions import db
    from finance_app.models.categorization import CategoryCorrection
    from finance_app.services.categorization import learning
    from finance_app.services.categorization.settings import current_settings

    with tempfile.TemporaryDirectory() as instance:
        app = make_app(url, model_dir, instance)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
            user, account, scope = new_user(db.session,
                                            f"speed-{uuid.uuid4().hex[:6]}@example.com")
            uid, acct, hid = user.id, account.id, scope.household_id
            db.session.commit()
            ids = insert_rows(db.session, hid, uid, acct, bank_rows(ROWS, seed=11),
                              date(2024, 1, 1))
            runs = []
            for _ in range(REPEATS):
                forget_decisions(db.session, hid)  # and every text cache: a cold worker
                loaded, seconds, decided = timed_categorize(app, scope, ids)
                runs.append(seconds)
            print(f"[{label}] categorize {len(ids):,} rows, new user (base model): "
                  f"{spread(runs)} (+ {loaded:.2f}s loading the rows)  {decided}")
            timed_decide_new(label, scope, acct)

            # Every row labelled with what the engine or its top suggestion said, as if the
            # person had gone through them: 50,000 labels, then one retrain.
            from finance_app.models.categorization import CategorySuggestion
            from finance_app.models.ledger import Transaction

            fallback = dict(db.session.execute(sa.select(
                CategorySuggestion.transaction_id, CategorySuggestion.suggestions)).all())
            rows = db.session.execute(sa.select(
                Transaction.id, Transaction.raw_description, Transaction.amount,
                Transaction.category_id).where(Transaction.household_id == hid)).all()
            default_category = db.session.scalar(sa.text(
                "SELECT id FROM categories WHERE household_id = :h AND name = 'Shopping' "
                "AND parent_id IS NOT NULL"), {"h": hid})
            labels = []
            now = utcnow()
            for txn_id, raw, amount, category_id in rows:
                top = fallback.get(txn_id)
                chosen = category_id or (top[0][0] if top else default_category)
                labels.append({"household_id": hid, "transaction_id": txn_id,
                               "category_id": chosen, "merchant_key": "",
                               "description": raw, "amount": amount, "provider_category": "",
                               "created_at": now, "updated_at": now})
            for start in range(0, len(labels), 5000):
                db.session.execute(sa.insert(CategoryCorrection), labels[start : start + 5000])
            db.session.commit()
            started = time.perf_counter()
            result = learning.retrain_user(db.session, scope, current_settings())
            db.session.commit()
            print(f"[{label}] retrain user model on {result.examples:,} labels: "
                  f"{time.perf_counter() - started:.2f}s (training alone {result.seconds:.2f}s)")

            more = insert_rows(db.session, hid, uid, acct, bank_rows(ROWS, seed=12),
                               date(2025, 1, 1))
            loaded, seconds, decided = timed_categorize(app, scope, more)
            print(f"[{label}] categorize {len(more):,} rows, user with history and own model: "
                  f"{seconds:.2f}s (+ {loaded:.2f}s loading the rows)  {decided}")

            # The bulk entry point for writers that hold ids, not ORM objects (imports).
            from finance_app.services.categorization import categorize_ids

            fresh = insert_rows(db.session, hid, uid, acct, bank_rows(ROWS, seed=13),
                                date(2026, 1, 1))
            db.session.expunge_all()
            started = time.perf_counter()
            summary = categorize_ids(db.session, scope, fresh)
            db.session.commit()
            print(f"[{label}] categorize_ids {len(fresh):,} rows, user with own model (reads the "
                  f"rows itself): {time.perf_counter() - started:.2f}s  "
                  f"{ {**summary.decided, 'review': summary.review} }")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def memory_run(model_dir: str) -> None:
    """RSS growth of a fresh worker-like process: load base + a user model, categorize 1,000."""
    import shutil

    from finance_app.ml import load_base_model, save_user_model, train_user_model

    scratch = tempfile.mkdtemp()
    shutil.copytree(Path(model_dir) / "base", Path(scratch) / "base")
    model_dir = scratch
    base = load_base_model(model_dir)
    rows = bank_rows(5000, seed=5)
    examples = [(text, float(amount), "Shopping" if i % 3 else "Household")
                for i, (text, amount) in enumerate(rows)]
    save_user_model(train_user_model(base, examples), model_dir, 1, "bench")
    code = f"""
import sys; sys.path.insert(0, {str(ROOT)!r})
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
import finance_app.services.categorization.engine  # the worker has the app imported already
import numpy, scipy.sparse, sklearn.linear_model, sklearn.feature_extraction.text, joblib
before = rss()
from finance_app.ml import load_base_model, load_user_model
base = load_base_model({model_dir!r})
user = load_user_model({model_dir!r}, 1, base)
user.predict(['SQ *BLUE BOTTLE COFFEE {{}}'.format(i) for i in range(1000)], [-5.0] * 1000)
print(rss() - before)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    print(f"RSS delta of a worker with the base and a user model loaded: "
          f"{float(out.stdout.strip().splitlines()[-1]):.0f} MB")


def learning_run(url: str, model_dir: str, confirm_all: bool) -> None:
    """3 months of corrections through the services, then 12 months categorized.

    confirm_all=False: only what the engine got wrong or left for review is set by the person;
    True: the person also confirms every right answer of those months (all of them are labels).
    """
    from categorizer import synthetic_user_months

    from finance_app.extensions import db
    from finance_app.ml import read_labelled_csv
    from finance_app.ml.training import SHIPPED_TRAINING_CSV
    from finance_app.models.categorization import CategorySuggestion
    from finance_app.models.ledger import Category
    from finance_app.services.categorization import categorize, learning
    from finance_app.services.categorization.settings import current_settings
    from finance_app.services.scope import scoped
    from finance_app.services.transactions import bulk
    from finance_app.services.transactions import records as txn_service

    months = synthetic_user_months(read_labelled_csv(SHIPPED_TRAINING_CSV), 15)
    with tempfile.TemporaryDirectory() as instance:
        app = make_app(url, model_dir, instance)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
            user, account, scope = new_user(db.session,
                                            f"loop-{uuid.uuid4().hex[:6]}@example.com")
            uid, acct, hid = user.id, account.id, scope.household_id
            group = db.session.scalar(scoped(Category, scope).where(Category.parent_id.is_(None)))
            ids: dict[str, int] = {}
            for category in db.session.scalars(scoped(Category, scope)):
                if category.parent_id is not None:
                    ids.setdefault(category.name, category.id)
            for name in {label for month in months for _, _, label in month} - set(ids):
                new = Category(household_id=hid, name=name, parent_id=group.id)
                db.session.add(new)
                db.session.flush()
                ids[name] = new.id
            db.session.commit()

            def import_month(number: int, month: list) -> list:
                rows = [(text, Decimal(str(amount))) for text, amount, _ in month]
                start = date(2024, 1, 1) + timedelta(days=30 * number)
                txn_ids = insert_rows(db.session, hid, uid, acct, rows, start)
                categorize(db.session, scope, _load(db.session, txn_ids))
                db.session.commit()
                return txn_ids

            corrections = 0
            for number, month in enumerate(months[:3]):
                txn_ids = import_month(number, month)
                confirmed: dict[int, list[int]] = {}
                for txn_id, (_, _, label) in zip(txn_ids, month, strict=True):
                    txn = txn_service.get_transaction(db.session, scope, txn_id)
                    if txn.category_id != ids[label]:
                        txn_service.update_transaction(db.session, scope, txn_id,
                                                       category_id=ids[label])
                        corrections += 1
                    elif confirm_all:
                        confirmed.setdefault(ids[label], []).append(txn_id)
                for category_id, chosen in confirmed.items():
                    bulk.recategorize(db.session, scope, chosen, category_id)
                db.session.commit()
                learning.retrain_user(db.session, scope, current_settings())
                db.session.commit()

            assigned_right = suggested_right = total = 0
            for number, month in enumerate(months[3:], start=3):
                txn_ids = import_month(number, month)
                suggestions = dict(db.session.execute(sa.select(
                    CategorySuggestion.transaction_id, CategorySuggestion.suggestions).where(
                    CategorySuggestion.transaction_id.in_(txn_ids))).all())
                for txn_id, (_, _, label) in zip(txn_ids, month, strict=True):
                    txn = txn_service.get_transaction(db.session, scope, txn_id)
                    total += 1
                    if txn.category_id == ids[label]:
                        assigned_right += 1
                        suggested_right += 1
                    elif txn.category_id is None and (suggestions.get(txn_id) or [[None]])[0][0] \
                            == ids[label]:
                        suggested_right += 1
            mode = "every answer confirmed" if confirm_all else "only mistakes corrected"
            print(f"learning loop ({mode}): {corrections} corrections in months 1-3, then {total} "
                  f"transactions in months 4-15: auto-assigned as the user would "
                  f"{assigned_right / total:.3f}; counting the review queue's top suggestion "
                  f"{suggested_right / total:.3f}")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _load(session, ids):  # type: ignore[no-untyped-def]
    from finance_app.models.ledger import Transaction

    return list(session.scalars(sa.select(Transaction).where(Transaction.id.in_(ids))))


def pg_database() -> tuple[str, str]:
    name = f"bench_categorize_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg(name: str) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", help="a MODEL_DIR with a base model (else trained here)")
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["sqlite", "postgresql", "memory", "learning"])
    args = parser.parse_args()
    print(python_speed())
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = args.model_dir or str(Path(scratch) / "models")
        from finance_app.services.categorization.learning import ensure_base_model
        from finance_app.services.categorization.settings import EngineSettings

        started = time.perf_counter()
        base, trained = ensure_base_model(EngineSettings(model_dir=model_dir))
        if trained:
            print(f"base model trained from the shipped set in {time.perf_counter() - started:.1f}s"
                  f" ({base.info})")
        if "sqlite" not in args.skip:
            speed_run("SQLite", f"sqlite:///{Path(scratch) / 'bench.sqlite3'}", model_dir)
        if "postgresql" not in args.skip:
            name, url = pg_database()
            try:
                speed_run("PostgreSQL", url, model_dir)
            finally:
                drop_pg(name)
        if "memory" not in args.skip:
            memory_run(model_dir)
        if "learning" not in args.skip:
            for confirm_all in (False, True):
                learning_run(f"sqlite:///{Path(scratch) / f'loop{confirm_all}.sqlite3'}",
                             model_dir, confirm_all)


if __name__ == "__main__":
    main()
