"""households own the financial data; members with roles; invitations; private accounts; site admin

Every existing user becomes the owner of a household of their own whose id is their user id, so
each data row's `user_id` value is already its household's id: the column is renamed to
`household_id` and its foreign key repointed, and no row is rewritten. Accounts record their
owner (the old user) and transactions who added them.

Revision ID: 0200
Revises: 0110
Create Date: 2026-12-03 09:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0200"
down_revision = "0110"
branch_labels = None
depends_on = None

# The tables whose rows the household owns now (they all had user_id -> users.id, CASCADE).
HOUSEHOLD_TABLES = (
    "accounts", "categories", "tags", "import_batches", "transactions", "attachments",
    "exchange_rates", "saved_views", "budgets", "budget_amounts", "budget_alerts", "rules",
    "category_suggestions", "merchant_memory", "category_corrections", "user_models",
    "saved_mappings", "pending_duplicates", "ledger_versions",
)


def _renamed(name, old, new):
    """An index or constraint name with the owner column's part renamed."""
    return name.replace(f"{old}_id", f"{new}_id").replace(f"_{old}_", f"_{new}_")


def _move_owner(table, old, new, referred):
    """Rename `old`_id to `new`_id on `table`, pointing it at `referred`; indexes and unique
    constraints over the column keep their columns and get names that say what they hold."""
    inspector = sa.inspect(op.get_bind())
    column = f"{old}_id"
    uniques = [uq for uq in inspector.get_unique_constraints(table)
               if column in uq["column_names"]]
    # PostgreSQL lists the index behind each unique constraint too; the constraint covers it.
    unique_names = {uq["name"] for uq in uniques}
    indexes = [ix for ix in inspector.get_indexes(table) if column in ix["column_names"]
               and not ix.get("duplicates_constraint") and ix["name"] not in unique_names]
    fks = [fk for fk in inspector.get_foreign_keys(table)
           if fk["constrained_columns"] == [column]]
    for ix in indexes:
        op.drop_index(ix["name"], table_name=table)
    with op.batch_alter_table(table, recreate="auto") as batch:
        for fk in fks:
            batch.drop_constraint(fk["name"], type_="foreignkey")
        for uq in uniques:
            batch.drop_constraint(uq["name"], type_="unique")
    with op.batch_alter_table(table, recreate="auto") as batch:
        batch.alter_column(column, new_column_name=f"{new}_id", existing_type=sa.Integer(),
                           existing_nullable=False)
    with op.batch_alter_table(table, recreate="auto") as batch:
        batch.create_foreign_key(f"fk_{table}_{new}_id_{referred}", referred, [f"{new}_id"],
                                 ["id"], ondelete="CASCADE")
        for uq in uniques:
            columns = [f"{new}_id" if c == column else c for c in uq["column_names"]]
            batch.create_unique_constraint(_renamed(uq["name"], old, new), columns)
    for ix in indexes:
        columns = [f"{new}_id" if c == column else c for c in ix["column_names"]]
        op.create_index(_renamed(ix["name"], old, new), table, columns, unique=ix["unique"])


def upgrade():
    op.create_table(
        "households",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_memberships_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("household_id", "user_id",
                            name=op.f("uq_memberships_household_id_user_id")),
    )
    op.create_index(op.f("ix_memberships_user_id"), "memberships", ["user_id"], unique=False)
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_invitations_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by_id"], ["users.id"],
                                name=op.f("fk_invitations_invited_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["accepted_by_id"], ["users.id"],
                                name=op.f("fk_invitations_accepted_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index("ix_invitations_household_email", "invitations",
                    ["household_id", "email"], unique=False)

    # Every user owns a household of their own, with the same id as the user.
    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO households (id, name, created_at) "
        "SELECT id, CASE WHEN name <> '' THEN name ELSE email END || '''s household', "
        "created_at FROM users"
    ))
    bind.execute(sa.text(
        "INSERT INTO memberships (household_id, user_id, role, joined_at) "
        "SELECT id, id, 'owner', created_at FROM users"
    ))
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence('households', 'id'), "
            "COALESCE((SELECT MAX(id) FROM households), 0) + 1, false)"
        ))

    for table in HOUSEHOLD_TABLES:
        _move_owner(table, "user", "household", "households")

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("is_site_admin", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("disabled_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("current_household_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_users_current_household_id_households", "households",
                                 ["current_household_id"], ["id"], ondelete="SET NULL")
    bind.execute(sa.text("UPDATE users SET current_household_id = id"))

    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("is_private", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.create_foreign_key("fk_accounts_owner_id_users", "users", ["owner_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_accounts_owner_id", ["owner_id"], unique=False)
    bind.execute(sa.text("UPDATE accounts SET owner_id = household_id"))

    with op.batch_alter_table("transactions") as batch:
        batch.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_transactions_created_by_id_users", "users",
                                 ["created_by_id"], ["id"], ondelete="SET NULL")
    bind.execute(sa.text("UPDATE transactions SET created_by_id = household_id"))

    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_import_batches_created_by_id_users", "users",
                                 ["created_by_id"], ["id"], ondelete="SET NULL")
    bind.execute(sa.text("UPDATE import_batches SET created_by_id = household_id"))

    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("household_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_jobs_household_id_households", "households",
                                 ["household_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_jobs_household_id", ["household_id"], unique=False)
    bind.execute(sa.text("UPDATE jobs SET household_id = user_id"))

    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("household_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_audit_events_household_id_households", "households",
                                 ["household_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_audit_events_household_created", ["household_id", "created_at"],
                           unique=False)


def downgrade():
    bind = op.get_bind()
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_household_created")
        batch.drop_constraint("fk_audit_events_household_id_households", type_="foreignkey")
        batch.drop_column("household_id")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_household_id")
        batch.drop_constraint("fk_jobs_household_id_households", type_="foreignkey")
        batch.drop_column("household_id")
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_constraint("fk_import_batches_created_by_id_users", type_="foreignkey")
        batch.drop_column("created_by_id")
    with op.batch_alter_table("transactions") as batch:
        batch.drop_constraint("fk_transactions_created_by_id_users", type_="foreignkey")
        batch.drop_column("created_by_id")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_index("ix_accounts_owner_id")
        batch.drop_constraint("fk_accounts_owner_id_users", type_="foreignkey")
        batch.drop_column("is_private")
        batch.drop_column("owner_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("fk_users_current_household_id_households", type_="foreignkey")
        batch.drop_column("current_household_id")
        batch.drop_column("disabled_at")
        batch.drop_column("is_site_admin")

    # Each household's data goes back to its first owner; a household without one is dropped.
    owner_of = ("(SELECT MIN(m.user_id) FROM memberships m WHERE m.household_id = {t}.household_id"
                " AND m.role = 'owner')")
    for table in HOUSEHOLD_TABLES:
        bind.execute(sa.text(f"DELETE FROM {table} WHERE {owner_of.format(t=table)} IS NULL"))
        if table not in ("user_models", "ledger_versions"):
            bind.execute(sa.text(
                f"UPDATE {table} SET household_id = {owner_of.format(t=table)}"
            ))
        else:  # keyed by the owner: keep one row per owner, the others' go
            bind.execute(sa.text(
                f"DELETE FROM {table} WHERE household_id <> {owner_of.format(t=table)}"
            ))
    for table in HOUSEHOLD_TABLES:
        _move_owner(table, "household", "user", "users")
    op.drop_index("ix_invitations_household_email", table_name="invitations")
    op.drop_table("invitations")
    op.drop_index(op.f("ix_memberships_user_id"), table_name="memberships")
    op.drop_table("memberships")
    op.drop_table("households")
