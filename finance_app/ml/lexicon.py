"""Domain-knowledge lexicon: generic words in bank strings that hint at a spending category."""

from __future__ import annotations

import re
from functools import lru_cache

# Generic words and phrases only (no merchant names): they let the model generalize to merchants
# it has never seen, because a hint learned from "Joe's Grill" also fires for "Ted's Grill".
HINTS: dict[str, tuple[str, ...]] = {
    "groceries": (
        "grocery", "groceries", "grocer", "supermarket", "supermercado", "market", "mart",
        "foods", "food store", "produce", "farmers market", "butcher", "meat",
        "carniceria", "halal", "organic", "fresh", "natural foods", "food co op", "co op",
        "asian market", "mercado", "fruit", "seafood market", "food center", "food mart",
    ),
    "restaurants": (
        "restaurant", "restaurants", "grill", "grille", "cafe", "caffe", "coffee", "espresso",
        "roasters", "pizza", "pizzeria", "burger", "burgers", "taco", "tacos", "taqueria",
        "sushi", "ramen", "pho", "bbq", "barbecue", "kitchen", "diner", "bistro", "bar", "pub",
        "tavern", "brewery", "brewing", "steakhouse", "steak", "wings", "chicken", "bakery",
        "donut", "donuts", "doughnut", "bagel", "bagels", "creamery", "ice cream", "gelato",
        "yogurt", "eatery", "cantina", "noodle", "noodles", "thai", "chinese", "mexican",
        "cuisine", "sandwich", "sandwiches", "subs", "deli", "smoothie", "juice", "tea", "boba",
        "dessert", "desserts", "cookies", "cookie", "vending", "snack", "snacks", "food truck",
        "catering", "wok", "curry", "kebab", "gyro", "trattoria", "osteria", "chophouse",
        "oyster", "crab", "roadhouse", "saloon", "lounge", "biscuit", "waffle", "pancake",
        "breakfast", "brunch", "meal", "meals", "dining", "bites", "fries", "hot dog", "ristorante",
        "cucina", "chef", "dumpling", "teriyaki", "hibachi", "buffet", "cafeteria", "latte",
        "eats", "delivery", "takeout", "chocolate", "candy", "pastry", "patisserie", "udon", "soba",
        "poke", "szechuan", "sichuan", "hunan", "cantonese", "dim sum", "bao", "banh mi", "masala",
        "tikka", "tandoori", "biryani", "naan", "falafel", "shawarma", "hummus", "mediterranean",
        "greek", "italian", "indian", "korean", "japanese", "vietnamese", "peruvian", "cuban",
        "caribbean", "jamaican", "ethiopian", "lebanese", "persian", "turkish", "tapas", "empanada",
        "empanadas", "arepa", "arepas", "pupuseria", "tamales", "burrito", "burritos", "drive in",
        "lobster", "shrimp", "crawfish", "hot pot", "hotpot", "izakaya", "yakitori", "tempura",
        "katsu", "bento", "gyoza", "pierogi", "brasserie", "gastropub", "taproom", "beer garden",
        "biergarten", "wine bar", "cocktails", "smokehouse", "rotisserie", "pollo", "fried chicken",
    ),
    "transport": (
        "gas", "fuel", "petroleum", "oil", "gas station", "parking", "park meter", "toll",
        "tolls", "tollway", "turnpike", "transit", "metro", "rail", "bus", "taxi", "cab",
        "rideshare", "ride", "trip", "car wash", "wash", "auto", "automotive", "tire", "tires",
        "oil change", "lube", "mechanic", "auto repair", "auto parts", "smog", "dmv",
        "vehicle", "garage", "charging", "ev charging", "supercharger", "valet", "scooter",
        "bike share", "motors", "collision", "body shop", "transmission", "brake", "muffler",
        "commute", "garage parking", "express lanes",
    ),
    "utilities": (
        "electric", "electricity", "energy", "power", "gas and electric", "water", "sewer",
        "utility", "utilities", "internet", "broadband", "cable", "wireless", "mobile", "phone",
        "telecom", "telephone", "trash", "waste", "sanitation", "recycling", "fiber",
        "propane", "heating", "light", "public service", "water district", "municipal",
        "city of", "ebill", "cellular", "communications",
    ),
    "rent": (
        "rent", "apartment", "apartments", "apt", "lease", "leasing", "property management",
        "properties", "property", "residential", "communities", "living", "realty", "landlord",
        "housing", "tenant", "residences", "villas", "lofts", "management", "homes", "rental",
    ),
    "mortgage": (
        "mortgage", "mtg", "home loan", "escrow", "principal", "heloc", "home lending",
        "loan servicing", "servicing", "home equity",
    ),
    "shopping": (
        "store", "shop", "shops", "boutique", "outlet", "retail", "apparel", "clothing",
        "clothes", "shoes", "shoe", "department", "electronics", "hardware", "home improvement",
        "furniture", "lumber", "books", "bookstore", "toys", "sporting goods", "sports",
        "liquor", "liquors", "wine", "spirits", "beer", "jewelry", "jewelers", "gift", "gifts",
        "crafts", "pet", "pets", "garden", "nursery", "florist", "flowers", "hobby", "supply",
        "supplies", "depot", "warehouse", "wholesale", "mall", "thrift", "office", "paint",
        "appliance", "appliances", "mattress", "decor", "home goods", "handyman", "plumbing",
        "hvac", "cleaning", "maid", "pest control", "landscaping", "lawn", "roofing",
        "locksmith", "contractor", "home services", "outfitters", "fashion", "wear", "goods",
        "online", "marketplace", "thrift store", "registered agent", "filings",
        "dollar", "discount", "variety", "emporium", "trading", "tools", "camera",
        "computer", "mobile accessories", "vape", "smoke", "tobacco", "cigar", "pawn",
    ),
    "entertainment": (
        "cinema", "cinemas", "theater", "theatre", "theaters", "movies", "movie", "tickets",
        "ticket", "concert", "museum", "zoo", "aquarium", "bowling", "arcade", "games", "game",
        "gaming", "casino", "lottery", "lotto", "bet", "betting", "sportsbook", "poker",
        "amusement", "theme park", "golf", "mini golf", "escape room", "comedy", "karaoke",
        "events", "event", "stadium", "arena", "festival", "entertainment", "fun", "play",
        "playhouse", "trampoline", "laser tag", "skating", "rink", "show", "live", "records",
        "music hall", "gallery", "exhibit", "paintball", "billiards", "raceway",
        "fantasy", "coins", "points", "tokens", "kart", "karts", "karting", "go kart", "climbing",
        "bouldering", "driving range", "batting cages", "axe throwing", "ropes course",
        "zipline", "water park", "waterpark", "ski", "lift tickets", "putt putt", "lanes",
    ),
    "health": (
        "pharmacy", "drug", "drugs", "rx", "medical", "clinic", "hospital", "health",
        "healthcare", "dental", "dentist", "dentistry", "orthodontics", "orthodontist",
        "doctor", "doctors", "physician", "physicians", "md", "urgent care", "lab", "labs",
        "laboratory", "imaging", "radiology", "vision", "optometry", "optometrist", "eye care",
        "eyecare", "optical", "therapy", "therapist", "physical therapy", "chiropractic",
        "chiropractor", "pediatrics", "pediatric", "dermatology", "counseling", "behavioral",
        "surgery", "surgical", "medicine", "copay", "urgent", "care center", "family practice",
        "hearing", "audiology", "podiatry", "oncology", "cardiology", "psychiatry", "psychology",
        "mental health", "telehealth", "diagnostics", "med", "emergency", "ambulance",
    ),
    "income": (
        "payroll", "salary", "sal", "dir dep", "direct dep", "direct deposit", "dirdep",
        "paycheck", "wages", "wage", "earnings", "payout", "reimbursement", "reimb", "stipend",
        "pension", "annuity", "treas", "tax refund", "bonus", "commission", "refund",
        "refunds", "cashback", "cash back", "rewards", "reward", "dividend", "dividends",
        "interest paid", "interest earned", "rebate", "settlement", "unemployment",
        "deposit from", "credit from", "pay", "income", "royalties", "grant",
    ),
    "transfer": (
        "transfer", "xfer", "zelle", "venmo", "wire", "wire in", "wire out", "p2p",
        "internal transfer", "to savings", "from savings", "to checking", "from checking",
        "payment thank you", "autopay", "auto pay", "card payment", "credit card",
        "card pmt", "online pmt", "online payment", "card services",
        "bankcard", "loan", "loan payment", "loan pmt", "loan pymt", "student loan",
        "installment", "installments", "pay in 4", "pay later", "brokerage", "investing",
        "investment", "invest", "crypto", "bitcoin", "atm", "cash withdrawal", "withdrawal",
        "mobile deposit", "remote deposit", "atm deposit", "savings", "checking", "cash app",
        "bank", "credit union", "cu", "fcu", "federal credit", "securities", "trading",
        "retirement", "ira", "401k", "brokerage transfer", "epay", "e payment",
    ),
    "fees": (
        "fee", "fees", "overdraft", "nsf", "insufficient funds", "service charge",
        "late charge", "interest charge", "finance charge", "penalty", "returned item",
        "maintenance fee", "atm fee", "foreign transaction", "international transaction",
        "surcharge", "charge", "od fee", "non sufficient", "monthly service", "excess",
    ),
    "insurance": (
        "insurance", "ins", "insur", "assurance", "assur", "premium", "mutual",
        "underwriters", "life insurance", "auto insurance", "casualty", "indemnity", "policy",
        "coverage", "warranty", "benefits", "life", "annuities", "health plan", "dental plan",
        "protection plan", "insure", "ins prem", "insurance premium", "life ins",
    ),
    "travel": (
        "airline", "airlines", "airways", "air", "airfare", "flight", "flights", "airport",
        "hotel", "hotels", "motel", "inn", "suites", "resort", "resorts", "lodging", "lodge",
        "hostel", "travel", "vacation", "vacations", "cruise", "cruises", "car rental",
        "rent a car", "rental car", "booking", "tours", "tour", "luggage", "baggage", "bnb",
        "timeshare", "trains", "ferry", "passport", "visa fee", "trip",
        "air lines", "aviation", "jet", "charter", "guesthouse", "hospitality",
    ),
    "education": (
        "tuition", "school", "schools", "college", "university", "univ", "academy", "learning",
        "tutoring", "tutor", "tutors", "course", "courses", "education", "educational",
        "textbook", "textbooks", "student", "institute", "montessori", "preschool",
        "daycare", "childcare", "classes", "class", "lessons", "conservatory", "dance", "ballet",
        "training", "seminar", "exam", "testing", "prep", "edu", "campus", "scholastic",
        "coding", "bootcamp", "publishing", "publisher", "library",
    ),
    "personal care": (
        "salon", "spa", "barber", "barbers", "barbershop", "hair", "haircut", "nails", "nail",
        "beauty", "cosmetics", "massage", "gym", "fitness", "yoga", "pilates", "crossfit",
        "athletic club", "wax", "waxing", "tanning", "skincare", "skin care", "esthetics",
        "lashes", "brows", "self care", "wellness", "supplement", "supplements", "vitamins",
        "nutrition", "grooming", "cuts", "stylist", "studio", "boxing", "cycling", "laundry",
        "dry cleaning", "cleaners", "tattoo", "piercing", "med spa", "aesthetics",
        # "bar" and "lounge" are also restaurant words: these phrases give them their other sense
        "nail bar", "brow bar", "lash bar", "wax bar", "blow dry bar", "blowout bar",
        "beauty bar", "nail lounge", "beauty lounge",
    ),
    "subscriptions": (
        "subscription", "subscriptions", "membership", "monthly plan", "streaming", "music",
        "cloud", "storage", "software", "app", "apps", "saas", "vpn", "credit report",
        "credit monitoring", "news", "magazine", "com bill", "digital", "plus", "pro",
        "premium plan", "annual plan", "monthly", "recurring", "online service", "hosting",
        "domain", "web services", "tv", "radio", "podcast", "newsletter", "times",
        "journal", "post", "dating", "password", "antivirus", "backup", "email",
    ),
}

_PHRASES: list[tuple[str, str]] = [
    (phrase, category) for category, phrases in HINTS.items() for phrase in phrases
]
_MAX_WORDS = max(len(phrase.split()) for phrase, _ in _PHRASES)
_LOOKUP: dict[str, list[str]] = {}
for _phrase, _category in _PHRASES:
    _LOOKUP.setdefault(_phrase, []).append(_category)


# Banks cut descriptions at a fixed width, so the last word is often a stump ("GOODY GOODY LIQU",
# "BALLET CONSERV"): a stump of four letters or more stands for the hint words it begins.
_MIN_STUMP = 4
_STUMPS: dict[str, set[str]] = {}
for _phrase, _category in _PHRASES:
    if " " not in _phrase:
        for _end in range(_MIN_STUMP, len(_phrase)):
            _STUMPS.setdefault(_phrase[:_end], set()).add(_category)


@lru_cache(maxsize=131072)
def hint_tokens(clean_text: str) -> tuple[str, ...]:
    """Feature tokens such as "hint_restaurants" and "kw_grill" for lexicon words in the text."""
    words = re.findall(r"[a-z0-9&]+", clean_text)
    found: list[str] = []
    for size in range(1, _MAX_WORDS + 1):
        for i in range(len(words) - size + 1):
            phrase = " ".join(words[i : i + size])
            for category in _LOOKUP.get(phrase, ()):
                found.append("hint_" + category.replace(" ", "_"))
                found.append("kw_" + phrase.replace(" ", "_"))
    if words and words[-1] not in _LOOKUP:
        # one meaning only: a stump shared by words of several categories says nothing
        categories = _STUMPS.get(words[-1], ())
        if len(categories) == 1:
            found.append("hint_" + next(iter(categories)).replace(" ", "_"))
            found.append("kw_stump")
    return tuple(dict.fromkeys(found))
