"""Merchants, bank strings and price ranges the sample-data generator draws from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Merchant:
    """A place people spend at: its clean name, how banks print it, and what it usually costs.

    `raw` may contain `{n}` (a store or terminal number) and `{code}` (an order code), which the
    generator fills in so that descriptions vary the way real statements do.
    """

    name: str
    raw: str
    category: str
    low: int  # cents
    high: int  # cents


# Everyday spending at home, with relative weights (how often per 100 purchases).
EVERYDAY: tuple[tuple[Merchant, int], ...] = (
    (Merchant("Trader Joe's", "TRADER JOE'S #{n} SAN FRANCISCO CA", "Groceries", 1800, 14000), 9),
    (Merchant("Whole Foods", "WHOLEFDS MKT {n}", "Groceries", 1500, 16000), 5),
    (Merchant("Safeway", "SAFEWAY #{n}", "Groceries", 900, 9000), 4),
    (Merchant("Costco", "COSTCO WHSE #{n}", "Groceries", 6000, 32000), 2),
    (Merchant("Blue Bottle Coffee", "SQ *BLUE BOTTLE COFFEE", "Restaurants", 450, 1400), 6),
    (Merchant("Starbucks", "STARBUCKS STORE {n}", "Restaurants", 400, 1100), 4),
    (Merchant("Chipotle", "CHIPOTLE {n}", "Restaurants", 1100, 3200), 3),
    (Merchant("DoorDash", "DOORDASH*THAI BASIL", "Restaurants", 2200, 6500), 3),
    (Merchant("Nopa", "TST* NOPA RESTAURANT", "Restaurants", 4500, 16000), 1),
    (Merchant("Sweetgreen", "SWEETGREEN SOMA", "Restaurants", 1200, 2200), 2),
    (Merchant("Uber", "UBER *TRIP HELP.UBER.COM", "Transport", 900, 4800), 4),
    (Merchant("Lyft", "LYFT *RIDE {code}", "Transport", 800, 4200), 2),
    (Merchant("Clipper", "CLIPPER SERVICE", "Transport", 2000, 5000), 2),
    (Merchant("Shell", "SHELL OIL {n}", "Fuel", 3200, 7800), 3),
    (Merchant("Chevron", "CHEVRON {n}", "Fuel", 3000, 8200), 2),
    (Merchant("Amazon", "AMZN Mktp US*{code}", "Shopping", 800, 12000), 8),
    (Merchant("Target", "TARGET {n}", "Shopping", 1200, 15000), 3),
    (Merchant("Best Buy", "BEST BUY {n}", "Shopping", 2000, 60000), 1),
    (Merchant("IKEA", "IKEA EMERYVILLE", "Home & garden", 2500, 40000), 1),
    (Merchant("The Home Depot", "THE HOME DEPOT #{n}", "Home & garden", 1500, 25000), 1),
    (Merchant("Uniqlo", "UNIQLO USA {n}", "Clothing", 2000, 15000), 1),
    (Merchant("Nordstrom", "NORDSTROM #{n}", "Clothing", 4000, 30000), 1),
    (Merchant("AMC Theatres", "AMC {n} METREON 16", "Entertainment", 1400, 5200), 1),
    (Merchant("Ticketmaster", "TICKETMASTER*EVENT {code}", "Entertainment", 4500, 25000), 1),
    (Merchant("Steam", "STEAMGAMES.COM 4259522985", "Entertainment", 500, 6000), 1),
    (Merchant("CVS Pharmacy", "CVS/PHARMACY #{n}", "Health", 600, 6000), 2),
    (Merchant("Walgreens", "WALGREENS #{n}", "Health", 500, 4500), 1),
    (Merchant("Supercuts", "SUPERCUTS #{n}", "Personal Care", 2500, 6000), 1),
    (Merchant("Sephora", "SEPHORA {n}", "Personal Care", 1800, 12000), 1),
    (Merchant("Udemy", "UDEMY *COURSE {code}", "Education", 1200, 9900), 1),
    (Merchant("Barnes & Noble", "BARNES & NOBLE #{n}", "Education", 1200, 6000), 1),
    (Merchant("Etsy", "ETSY, INC. BROOKLYN NY", "Gifts & donations", 1500, 9000), 1),
)  # fmt: skip

# Spending while travelling in the euro area (paid from the EUR account, in euros).
ABROAD: tuple[tuple[Merchant, int], ...] = (
    (Merchant("Carrefour", "CARREFOUR CITY {n} PARIS", "Groceries", 600, 6000), 3),
    (Merchant("Le Petit Café", "LE PETIT CAFE PARIS", "Restaurants", 450, 3800), 4),
    (Merchant("Trattoria da Enzo", "SUMUP *TRATTORIA DA ENZO", "Restaurants", 2500, 9000), 2),
    (Merchant("RATP", "RATP PARIS {n}", "Transport", 210, 3000), 3),
    (Merchant("Deutsche Bahn", "DB VERTRIEB GMBH {code}", "Transport", 2900, 14000), 1),
    (Merchant("Hotel Ibis", "HOTEL IBIS {n}", "Travel", 9000, 22000), 1),
    (Merchant("Musée du Louvre", "MUSEE DU LOUVRE", "Entertainment", 1700, 3400), 1),
)  # fmt: skip

# Booked from home before a trip, on the credit card.
TRIP_BOOKINGS: tuple[Merchant, ...] = (
    Merchant("United Airlines", "UNITED 016{code}", "Travel", 38000, 110000),
    Merchant("Airbnb", "AIRBNB * HM{code}", "Travel", 45000, 140000),
)

# Monthly bills: (merchant, day of month, account key, fixed amount in cents or None for a range).
MONTHLY_BILLS: tuple[tuple[Merchant, int, str], ...] = (
    (Merchant("PG&E", "PGANDE WEB ONLINE {code}", "Utilities", 6500, 21000), 12, "checking"),
    (Merchant("SF Water", "SFPUC WATER PAYMENT", "Utilities", 4500, 9500), 18, "checking"),
    (Merchant("Comcast", "COMCAST CABLE COMM {n}", "Phone & internet", 7999, 7999), 5, "card"),
    (Merchant("Verizon", "VZWRLSS*APOCC VISB", "Phone & internet", 8500, 9200), 22, "card"),
    (Merchant("Netflix", "NETFLIX.COM", "Subscriptions", 1549, 1549), 3, "card"),
    (Merchant("Spotify", "Spotify USA", "Subscriptions", 1199, 1199), 9, "card"),
    (Merchant("iCloud", "APPLE.COM/BILL", "Subscriptions", 299, 299), 14, "card"),
    (Merchant("New York Times", "NYTIMES*NYTIMES SUBSCR", "Subscriptions", 1700, 1700), 27, "card"),
    (Merchant("GEICO", "GEICO *AUTO", "Insurance", 13650, 13650), 7, "checking"),
    (Merchant("Lemonade", "LEMONADE INSURANCE", "Insurance", 2900, 2900), 1, "card"),
    (Merchant("Equinox", "EQUINOX #{n}", "Health", 6500, 6500), 2, "card"),
)  # fmt: skip

RENT = Merchant("Mission Properties", "MISSION PROPERTIES LLC RENT", "Rent", 325000, 325000)
MORTGAGE = Merchant("Rocket Mortgage", "ROCKET MORTGAGE PMT {code}", "Mortgage", 412000, 412000)
ATM_FEE = Merchant("ATM fee", "NON-CHASE ATM FEE-WITH", "Fees", 300, 500)
EMPLOYERS = (
    ("Acme Corp", "ACME CORP PAYROLL PPD ID: 9876543210"),
    ("Globex", "GLOBEX INC DIR DEP {code}"),
)
NOTES = {
    "Restaurants": ("Birthday dinner", "Split with Sam — owes me half", "Team lunch"),
    "Shopping": ("Gift for Mum", "Returned one item", "Kitchen stuff"),
    "Travel": ("Summer holiday", "Conference trip"),
    "Groceries": ("Party supplies",),
    "Health": ("Prescription refill",),
}
TAGS = ("vacation", "reimbursable", "gift", "home office")
