"""Benchmark: parse a generated 50,000-row bank CSV; prints rows/s and peak traced memory."""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from finance_app.importers import parse_file

MERCHANTS = ["AMZN Mktp US*{n}", "TRADER JOE'S #{n}", "SHELL OIL {n}", "SQ *BLUE BOTTLE COFFEE",
             "PAYROLL ACME CORP DIR DEP", "Café Zoë {n}", "NETFLIX.COM", "TARGET T-{n}"]


def make_csv(rows: int = 50_000, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    lines = ["Transaction Date,Post Date,Description,Category,Type,Amount,Memo"]
    for i in range(rows):
        month, day = 1 + (i * 12 // rows), 1 + i % 28
        merchant = rnd.choice(MERCHANTS).format(n=rnd.randint(1000, 9999))
        cents = rnd.randint(100, 500_000)
        sign = "" if merchant.startswith("PAYROLL") else "-"
        amount = f"{sign}{cents // 100:,}.{cents % 100:02d}"
        lines.append(f'{month:02d}/{day:02d}/2024,{month:02d}/{day:02d}/2024,"{merchant}",'
                     f'Shopping,Sale,"{amount}",')
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def main() -> None:
    data = make_csv()
    start = time.perf_counter()
    _, _, result = parse_file(data, "bench.csv")
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    parse_file(data, "bench.csv")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = len(result.rows)
    print(f"{rows} rows ({len(data) / 1e6:.1f} MB) in {elapsed:.2f} s"
          f" = {rows / elapsed:,.0f} rows/s; peak traced memory {peak / 1e6:.1f} MB;"
          f" {len(result.errors)} row errors")


if __name__ == "__main__":
    main()
