"""All models, imported here so that metadata (and so migrations) sees every table."""

from __future__ import annotations

from finance_app.models.audit import AuditEvent
from finance_app.models.badge import BadgeAward
from finance_app.models.bank_sync import PlaidAccount, PlaidItem, SyncPage, SyncRun
from finance_app.models.budget import Budget, BudgetAlert, BudgetAmount
from finance_app.models.categorization import (
    CategoryCorrection,
    CategorySuggestion,
    MerchantMemory,
    Rule,
    UserModelState,
)
from finance_app.models.debt import Debt
from finance_app.models.goal import Goal, GoalAccount, GoalContribution, GoalMilestone
from finance_app.models.household import Household, Invitation, Membership
from finance_app.models.imports import PendingDuplicate, SavedMapping
from finance_app.models.insight import Insight
from finance_app.models.investment import InvestmentSettings, Security, SecurityPrice, Trade
from finance_app.models.job import Job
from finance_app.models.ledger import (
    Account,
    Attachment,
    Category,
    ExchangeRate,
    ImportBatch,
    SavedView,
    SplitLine,
    Tag,
    Transaction,
)
from finance_app.models.notification import LedgerMonthStamp, LedgerVersion, Notification
from finance_app.models.recurring import (
    AlertPreference,
    AlertSend,
    AnomalyDismissal,
    AnomalyFlag,
    BalanceThreshold,
    BillFeedToken,
    RecurringSeries,
    SmsPhone,
    WebhookDelivery,
    WebhookEndpoint,
)
from finance_app.models.report import ReportFile, TaxCategoryMapping
from finance_app.models.user import RecoveryCode, User, UserSession
from finance_app.models.weekly import WeeklySummarySend

__all__ = [
    "Account",
    "AlertPreference",
    "AlertSend",
    "AnomalyDismissal",
    "AnomalyFlag",
    "Attachment",
    "AuditEvent",
    "BadgeAward",
    "BalanceThreshold",
    "BillFeedToken",
    "Budget",
    "BudgetAlert",
    "BudgetAmount",
    "Category",
    "CategoryCorrection",
    "CategorySuggestion",
    "Debt",
    "ExchangeRate",
    "Goal",
    "GoalAccount",
    "GoalContribution",
    "GoalMilestone",
    "Household",
    "ImportBatch",
    "Insight",
    "InvestmentSettings",
    "Invitation",
    "Job",
    "LedgerMonthStamp",
    "LedgerVersion",
    "Membership",
    "MerchantMemory",
    "Notification",
    "PendingDuplicate",
    "PlaidAccount",
    "PlaidItem",
    "RecoveryCode",
    "RecurringSeries",
    "ReportFile",
    "Rule",
    "SavedMapping",
    "SavedView",
    "Security",
    "SecurityPrice",
    "SmsPhone",
    "SplitLine",
    "SyncPage",
    "SyncRun",
    "Tag",
    "TaxCategoryMapping",
    "Trade",
    "Transaction",
    "User",
    "UserModelState",
    "UserSession",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WeeklySummarySend",
]
