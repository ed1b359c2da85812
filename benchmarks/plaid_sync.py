"""Benchmark: 10,000 transactions across 3 Items synced, categorized and committed on PostgreSQL.

    .venv/bin/python benchmarks/plaid_sync.py              # target: <= 8 s
    .venv/bin/python benchmarks/plaid_sync.py --no-model   # without the categorizer model

Everything real but the bank: the fake Plaid server of the tests (tests/fakes/plaid_server.py)
on 127.0.0.1, spoken to by plaid-python over HTTP, 500 transactions a page; the sync service
keeps every raw page, matches against the accounts' rows, decides categories with the
household's default categories and the base model (trained into BENCH_MODEL_DIR first if
missing, outside the timing), writes the rows and commits each Item once. PostgreSQL is a
scratch database made through BENCH_PG_ADMIN_URL and dropped afterwards.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get(
    "BENCH_PG_ADMIN_URL",
    os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)
TRANSACTIONS, ITEMS = int(os.environ.get("BENCH_ROWS", "10000")), 3
MODEL_DIR = os.environ.get("BENCH_MODEL_DIR",
                           str(Path(tempfile.gettempdir()) / "plaid-bench-models"))
TARGET_SECONDS = 8.0
MERCHANTS = [("STARBUCKS STORE 1234", "FOOD_AND_DRINK"), ("WHOLEFDS MKT 10234", "FOOD_AND_DRINK"),
             ("SHELL OIL 5744", "TRANSPORTATION"), ("AMZN MKTP US", "GENERAL_MERCHANDISE"),
             ("NETFLIX.COM", "ENTERTAINMENT"), ("UBER TRIP", "TRANSPORTATION"),
             ("CVS PHARMACY", "MEDICAL"), ("COMCAST CABLE", "RENT_AND_UTILITIES"),
             ("TRADER JOE S", "FOOD_AND_DRINK"), ("ACME PAYROLL", "INCOME")]


def main(use_model: bool) -> int:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from finance_app import create_app
    from finance_app.extensions import db
    from finance_app.models import PlaidItem, SyncPage, Transaction, User
    from finance_app.services.bank_sync import items
    from finance_app.services.households.membership import member_scope
    from finance_app.tasks.bank_sync import sync_items_now
    from tests.fakes.plaid_server import CLIENT_ID, SECRET, FakePlaidServer

    workdir = Path(tempfile.mkdtemp(prefix="plaid-bench-"))
    pg_name = f"plaid_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{pg_name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name
    rng = random.Random(11)
    try:
        with FakePlaidServer() as server:
            app = create_app({
                "INSTANCE_PATH": str(workdir), "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None,
                "SECRET_KEY": "bench-" + "x" * 40, "RATELIMIT_ENABLED": False,
                "MODEL_DIR": MODEL_DIR if use_model else str(workdir / "models"),
                "PLAID_CLIENT_ID": CLIENT_ID, "PLAID_SECRET": SECRET,
                "PLAID_HOST": server.url, "PLAID_RETRY_BASE_SECONDS": 0.0,
            })
            with app.app_context():
                upgrade(revision="heads")
                from finance_app.services.identity.provisioning import provision_user

                user = User(email="bench@example.com", password_hash="-", name="Bench")
                db.session.add(user)
                db.session.flush()
                provision_user(db.session, user)  # a household with the default categories
                scope = member_scope(db.session, user)
                if use_model:
                    from finance_app.services.categorization.learning import (
                        ensure_base_model,
                        load_predictor,
                    )
                    from finance_app.services.categorization.settings import current_settings

                    ensure_base_model(current_settings())
                    # Loaded once per worker process in production: not part of a sync.
                    load_predictor(db.session, scope, current_settings())
                fake = server.fake
                from finance_app.tasks.bank_sync import plaid_client

                per_item = TRANSACTIONS // ITEMS
                with plaid_client() as client:
                    for n in range(ITEMS):
                        fake_item = fake.create_item(institution_id=f"ins_{109508 + n}")
                        accounts = [a["account_id"] for a in fake_item.accounts]
                        count = per_item + (TRANSACTIONS % ITEMS if n == 0 else 0)
                        fake.add(fake_item, *[fake.transaction(
                            rng.choice(accounts),
                            f"{rng.uniform(2, 400):.2f}" if (m := rng.choice(MERCHANTS))[1]
                            != "INCOME" else f"-{rng.uniform(1000, 3000):.2f}",
                            date(2026, 11, 30) - timedelta(days=rng.randrange(730)), m[0],
                            category=m[1]) for _ in range(count)])
                        item = items.link_item(db.session, scope, client,
                                               fake.issue_public_token(fake_item),
                                               app.config["TOKEN_ENCRYPTION_KEY"])
                        items.match_accounts(db.session, scope, item, {})
                db.session.commit()
                item_ids = list(db.session.scalars(sa.select(PlaidItem.id)))

                started = time.perf_counter()
                totals = sync_items_now(item_ids, "bench")
                elapsed = time.perf_counter() - started

                rows = db.session.scalar(sa.select(sa.func.count()).select_from(Transaction))
                categorized = db.session.scalar(sa.select(sa.func.count()).select_from(
                    Transaction).where(Transaction.category_id.is_not(None)))
                pages = db.session.scalar(sa.select(sa.func.count()).select_from(SyncPage))
                db.session.remove()
                db.engine.dispose()
        print(f"items={totals['items']} added={totals['added']} errors={totals['errors']} "
              f"rows={rows} categorized={categorized} raw_pages={pages}"
              + ("" if use_model else " (no model)"))
        print(f"sync of {TRANSACTIONS:,} transactions across {ITEMS} Items on PostgreSQL: "
              f"{elapsed:.2f} s ({TRANSACTIONS / elapsed:,.0f} rows/s; target <= "
              f"{TARGET_SECONDS:.0f} s: {'met' if elapsed <= TARGET_SECONDS else 'MISSED'})")
        return 0 if rows == TRANSACTIONS and totals["errors"] == 0 else 1
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main(use_model="--no-model" not in sys.argv[1:]))
