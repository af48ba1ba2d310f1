#!/usr/bin/env python3
"""Independent reference model of docs/economic-model.md, written straight from the formulas.

It evaluates a scenario document (by default gold-open-pit.json beside this script, the project's
samples/gold-open-pit.json under another name) at the base-case values of its parameters and prints the per-period lines and the metrics that
GoldOpenPitTests.cs pins as constants. It shares no code with CalMiner.Core and uses only the
Python standard library (mpmath, when installed, only to polish the IRR root).

    python3 gold_open_pit.py [scenario.json] [--csharp]

The same model gives the figures of the project's own samples that CopperGoldPorphyrySampleTests.cs pins:

    python3 gold_open_pit.py ../../../../samples/copper-gold-porphyry.json --csharp

Readings of docs/economic-model.md that the figures depend on (each one is a choice the text makes):
- ore mined and processed are scaled by the throughput factor, waste mined is not;
- an operating period is one with ore processed > 0;
- mining cost and consumables driven by tonnes mined are incurred in every period with mining
  (pre-strip included); G&A and equipment operating cost only in operating periods;
- equipment hours accrue per unit in operating periods from the purchase period on; when the
  cumulative hours would pass lifeHours (strictly exceed) the fleet is replaced in that period and
  the new fleet works that period, so its cumulative hours are that period's hours;
- depreciation: amount / years per period from max(spend period, first operating period); the
  remainder not yet deducted is deducted in the last period;
- working capital: WC_i = NSR_i x receivableDays/365 - opex_i x payableDays/365, except the last
  period, where WC = 0 (all recovered); cash effect -(WC_i - WC_{i-1}) with WC_{-1} = 0;
- NPV: flow of period i at time i + 1 (end of period) or i + 0.5 (mid-period).
"""
import json
import math
import os
import sys

GRAMS_PER_TROY_OUNCE = 31.1034768
POUNDS_PER_TONNE = 2204.62262185
HOURS_PER_YEAR = 8760.0
DAYS_PER_YEAR = 365.0


def grams_to_unit(grams, unit):
    return {
        "oz": grams / GRAMS_PER_TROY_OUNCE,
        "g": grams,
        "kg": grams / 1e3,
        "t": grams / 1e6,
        "lb": grams / 1e6 * POUNDS_PER_TONNE,
    }[unit]


def contained_in_payable_unit(tonnes, grade, grade_unit, payable_unit):
    if grade_unit in ("g/t", "ppm"):
        grams = tonnes * grade
    else:  # "%": tonnes of metal = t x grade / 100
        grams = tonnes * grade / 100.0 * 1e6
    return grams_to_unit(grams, payable_unit)


def npv(flows, rate, mid_period=False):
    shift = 0.5 if mid_period else 1.0
    return sum(cf / (1.0 + rate) ** (i + shift) for i, cf in enumerate(flows))


def irr(flows):
    """Largest rate in (-0.99, 10] at which the NPV changes sign; None if there is none."""
    def f(r):
        return sum(cf / (1.0 + r) ** i for i, cf in enumerate(flows))

    lo_bound, hi_bound, steps = -0.99, 10.0, 20000
    grid = [hi_bound - (hi_bound - lo_bound) * k / steps for k in range(steps + 1)]
    prev_r, prev_v = grid[0], f(grid[0])
    if prev_v == 0:
        return prev_r
    for r in grid[1:]:
        v = f(r)
        if v == 0:
            return r
        if (v > 0) != (prev_v > 0):
            a, b = r, prev_r  # a < b, the sign changes in between
            fa = v
            for _ in range(200):
                m = 0.5 * (a + b)
                fm = f(m)
                if fm == 0 or b - a < 1e-16:
                    break
                if (fm > 0) == (fa > 0):
                    a, fa = m, fm
                else:
                    b = m
            root = 0.5 * (a + b)
            try:
                from mpmath import mp, mpf, findroot
                mp.dps = 40
                root = float(findroot(lambda x: sum(mpf(cf) / (1 + x) ** i for i, cf in enumerate(flows)), mpf(root)))
            except ImportError:
                pass
            return root
        prev_r, prev_v = r, v
    return None


def payback(flows):
    """Years from the start of period 0 until the cumulative flow first turns from negative to >= 0."""
    cum = 0.0
    was_negative = False
    for i, cf in enumerate(flows):
        before = cum
        cum += cf
        if before < 0 and cum >= 0:
            return i + (-before) / cf
        if cum < 0:
            was_negative = True
    return None if was_negative else 0.0


class Scenario:
    def __init__(self, doc, overrides=None):
        self.doc = doc
        self.values = {name: p["value"] for name, p in doc.get("parameters", {}).items()}
        self.values.update(overrides or {})

    def b(self, x, default=0.0):
        if x is None:
            return default
        return self.values[x] if isinstance(x, str) else float(x)


def evaluate(doc, overrides=None, primary_price=None):
    s = Scenario(doc, overrides)
    T = doc["periods"]
    rate = doc["discountRate"]
    mid = doc.get("discounting", "endOfPeriod") == "midPeriod"
    fac = doc.get("factors", {})
    f_grade = s.b(fac.get("grade"), 1.0)
    f_tput = s.b(fac.get("throughput"), 1.0)
    f_opex = s.b(fac.get("operatingCost"), 1.0)
    f_init = s.b(fac.get("initialCapital"), 1.0)
    f_sust = s.b(fac.get("sustainingCapital"), 1.0)

    rows = {r["period"]: r for r in doc["schedule"]}
    ore_mined = [rows[i].get("oreMined", 0.0) * f_tput if i in rows else 0.0 for i in range(T)]
    waste = [rows[i].get("wasteMined", 0.0) if i in rows else 0.0 for i in range(T)]
    ore_proc = [rows[i].get("oreProcessed", 0.0) * f_tput if i in rows else 0.0 for i in range(T)]
    operating = [x > 0 for x in ore_proc]
    first_op = next((i for i in range(T) if operating[i]), None)

    # Production and revenue
    products = doc["products"]
    payable = {p["name"]: [0.0] * T for p in products}
    gross = [0.0] * T
    selling = [0.0] * T
    nsr = [0.0] * T
    gross_by = {p["name"]: [0.0] * T for p in products}
    selling_by = {p["name"]: [0.0] * T for p in products}
    nsr_by = {p["name"]: [0.0] * T for p in products}
    for p in products:
        name = p["name"]
        rec = s.b(p["recovery"])
        pay = s.b(p.get("payability"), 1.0)
        price = s.b(p["price"])
        if p.get("primary") and primary_price is not None:
            price = primary_price
        sell = s.b(p.get("sellingCostPerUnit"), 0.0)
        for i in range(T):
            grade = (rows[i].get("grades", {}).get(name, 0.0) if i in rows else 0.0) * f_grade
            contained = contained_in_payable_unit(ore_proc[i], grade, p["gradeUnit"], p["payableUnit"])
            q = contained * rec * pay
            payable[name][i] = q
            gross_by[name][i] = q * price
            selling_by[name][i] = q * sell
            nsr_by[name][i] = q * (price - sell)
            gross[i] += q * price
            selling[i] += q * sell
            nsr[i] += q * (price - sell)

    royalties = [0.0] * T
    for r in doc.get("royalties", []):
        rr = s.b(r["rate"])
        basis = gross if r.get("basis", "nsr") == "grossRevenue" else nsr
        for i in range(T):
            royalties[i] += rr * basis[i]

    # Operating cost
    oc = doc.get("operatingCosts", {})
    mining = [(ore_mined[i] + waste[i]) * s.b(oc.get("miningPerTonne")) * f_opex for i in range(T)]
    processing = [ore_proc[i] * s.b(oc.get("processingPerTonne")) * f_opex for i in range(T)]
    ga = [s.b(oc.get("generalAndAdminPerPeriod")) * f_opex if operating[i] else 0.0 for i in range(T)]
    carbon_price = s.b(oc.get("carbonPricePerTonne"), 0.0)
    consumables = [0.0] * T
    co2e = [0.0] * T
    for c in doc.get("consumables", []):
        for i in range(T):
            driver = {
                "tonneMined": ore_mined[i] + waste[i],
                "tonneProcessed": ore_proc[i],
                "operatingPeriod": 1.0 if operating[i] else 0.0,
            }[c["driver"]]
            qty = s.b(c["ratePerDriver"]) * driver
            consumables[i] += qty * s.b(c["unitPrice"]) * f_opex
            co2e[i] += qty * c.get("co2eKgPerUnit", 0.0) / 1000.0
    carbon = [co2e[i] * carbon_price * f_opex for i in range(T)]

    # Equipment: operating cost, purchase and replacement
    equip_opex = [0.0] * T
    initial = [0.0] * T
    sustaining = [0.0] * T
    closure = [0.0] * T
    equipment_capital = [0.0] * T
    depreciable = []  # (amount, spend period, years)
    for e in doc.get("equipment", []):
        hours = HOURS_PER_YEAR * e["availability"] * e["utilisation"]
        fleet_cost = e["count"] * e["unitCost"]
        years = e.get("depreciationYears", 10)
        p0 = e["purchasePeriod"]
        if first_op is None or p0 < first_op:
            amount = fleet_cost * f_init
            initial[p0] += amount
        else:
            amount = fleet_cost * f_sust
            sustaining[p0] += amount
        equipment_capital[p0] += amount
        depreciable.append((amount, p0, years))
        cumulative = 0.0
        for i in range(p0, T):
            if not operating[i]:
                continue
            equip_opex[i] += e["count"] * hours * s.b(e["operatingCostPerHour"]) * f_opex
            if cumulative + hours > e["lifeHours"]:
                amount = fleet_cost * f_sust
                sustaining[i] += amount
                equipment_capital[i] += amount
                depreciable.append((amount, i, years))
                cumulative = hours
            else:
                cumulative += hours

    for c in doc.get("capital", []):
        base = s.b(c["amount"]) * (1.0 + c.get("contingency", 0.0))
        i = c["period"]
        years = c.get("depreciationYears", 10)
        if c["category"] == "initial":
            initial[i] += base * f_init
            depreciable.append((base * f_init, i, years))
        elif c["category"] == "sustaining":
            sustaining[i] += base * f_sust
            depreciable.append((base * f_sust, i, years))
        else:
            closure[i] += base

    opex = [mining[i] + processing[i] + ga[i] + consumables[i] + carbon[i] + equip_opex[i] for i in range(T)]
    ebitda = [nsr[i] - royalties[i] - opex[i] for i in range(T)]
    capital = [initial[i] + sustaining[i] + closure[i] for i in range(T)]

    depreciation = [0.0] * T
    for amount, spent, years in depreciable:
        start = spent if first_op is None else max(spent, first_op)
        deducted = 0.0
        for i in range(start, T - 1):
            if i - start < years:
                depreciation[i] += amount / years
                deducted += amount / years
        depreciation[T - 1] += amount - deducted

    tax_rate = s.b(doc.get("tax", {}).get("rate"), 0.0)
    carry = doc.get("tax", {}).get("lossCarryForward", True)
    taxable = [ebitda[i] - depreciation[i] - closure[i] for i in range(T)]
    losses_used = [0.0] * T
    tax = [0.0] * T
    pool = 0.0
    for i in range(T):
        if taxable[i] < 0:
            if carry:
                pool += -taxable[i]
        else:
            used = min(pool, taxable[i])
            pool -= used
            losses_used[i] = used
            tax[i] = tax_rate * max(0.0, taxable[i] - used)

    wc_terms = doc.get("workingCapital", {})
    rd = wc_terms.get("receivableDays", 0.0)
    pd = wc_terms.get("payableDays", 0.0)
    wc = [nsr[i] * rd / DAYS_PER_YEAR - opex[i] * pd / DAYS_PER_YEAR for i in range(T)]
    wc[T - 1] = 0.0
    wc_change = [-(wc[i] - (wc[i - 1] if i > 0 else 0.0)) for i in range(T)]

    pre_tax = [ebitda[i] - capital[i] + wc_change[i] for i in range(T)]
    after_tax = [pre_tax[i] - tax[i] for i in range(T)]
    shift = 0.5 if mid else 1.0
    discounted = [after_tax[i] / (1.0 + rate) ** (i + shift) for i in range(T)]

    primary = next(p for p in products if p.get("primary"))
    primary_payable = sum(payable[primary["name"]])
    byproduct_nsr = sum(sum(nsr_by[p["name"]]) for p in products if not p.get("primary"))
    cum = 0.0
    min_cum = 0.0
    for cf in after_tax:
        cum += cf
        min_cum = min(min_cum, cum)

    periods = {
        "oreMined": ore_mined, "wasteMined": waste, "oreProcessed": ore_proc,
        "primaryPayable": payable[primary["name"]], "grossRevenue": gross, "sellingCosts": selling,
        "nsr": nsr, "royalties": royalties, "miningCost": mining, "processingCost": processing,
        "generalAndAdmin": ga, "consumablesCost": consumables, "carbonCost": carbon,
        "equipmentOperatingCost": equip_opex, "operatingCost": opex, "ebitda": ebitda,
        "initialCapital": initial, "sustainingCapital": sustaining, "closureCapital": closure,
        "equipmentCapital": equipment_capital, "capital": capital, "depreciation": depreciation,
        "taxableIncome": taxable, "lossesUsed": losses_used, "tax": tax, "workingCapital": wc,
        "workingCapitalChange": wc_change, "preTaxCashFlow": pre_tax, "afterTaxCashFlow": after_tax,
        "discountedAfterTaxCashFlow": discounted, "co2eTonnes": co2e,
    }
    total_co2e = sum(co2e)
    metrics = {
        "npvAfterTax": npv(after_tax, rate, mid),
        "npvPreTax": npv(pre_tax, rate, mid),
        "irrAfterTax": irr(after_tax),
        "irrPreTax": irr(pre_tax),
        "paybackYears": payback(after_tax),
        "discountedPaybackYears": payback(discounted),
        "peakFunding": -min_cum,
        "cashCostPerUnit": (sum(opex) + sum(selling_by[primary["name"]]) - byproduct_nsr) / primary_payable if primary_payable > 0 else None,
        "co2eTonnes": total_co2e,
        "co2eKgPerUnit": total_co2e * 1000.0 / primary_payable if primary_payable > 0 else None,
        "npvProfile": [(r, npv(after_tax, r, mid), npv(pre_tax, r, mid)) for r in (0.0, 0.05, 0.08, 0.10, 0.12, 0.15)],
    }
    if metrics["cashCostPerUnit"] is not None:
        metrics["aiscPerUnit"] = metrics["cashCostPerUnit"] + (sum(royalties) + sum(sustaining)) / primary_payable
    else:
        metrics["aiscPerUnit"] = None
    return periods, metrics


def breakeven_price(doc):
    """Constant primary price at which the after-tax NPV is 0, by bisection."""
    def f(price):
        return evaluate(doc, primary_price=price)[1]["npvAfterTax"]

    lo, hi = 0.0, 1.0
    if f(lo) >= 0:
        return None
    while f(hi) < 0:
        hi *= 2.0
        if hi > 1e15:
            return None
    for _ in range(200):
        m = 0.5 * (lo + hi)
        if f(m) < 0:
            lo = m
        else:
            hi = m
        if hi - lo <= 1e-12 * hi:
            break
    return 0.5 * (lo + hi)


def default_example():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "gold-open-pit.json")


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    path = args[0] if args else default_example()
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    periods, metrics = evaluate(doc)
    metrics["breakevenPrice"] = breakeven_price(doc)
    if "--csharp" in argv:
        print("    // Generated by reference/gold_open_pit.py --csharp.")
        print("    private static class PerPeriod")
        print("    {")
        for name in ("primaryPayable", "grossRevenue", "nsr", "royalties", "miningCost", "consumablesCost",
                     "equipmentOperatingCost", "operatingCost", "ebitda", "initialCapital", "sustainingCapital",
                     "closureCapital", "capital", "depreciation", "taxableIncome", "lossesUsed", "tax",
                     "workingCapital", "workingCapitalChange", "preTaxCashFlow", "afterTaxCashFlow",
                     "discountedAfterTaxCashFlow", "co2eTonnes"):
            values = ", ".join(repr(v) for v in periods[name])
            print(f"        public static readonly double[] {name[0].upper() + name[1:]} = [{values}];")
        print("    }")
        print()
        print("    private static class Metric")
        print("    {")
        for name in ("npvAfterTax", "npvPreTax", "irrAfterTax", "irrPreTax", "paybackYears",
                     "discountedPaybackYears", "peakFunding", "cashCostPerUnit", "aiscPerUnit",
                     "breakevenPrice", "co2eTonnes", "co2eKgPerUnit"):
            print(f"        public const double {name[0].upper() + name[1:]} = {metrics[name]!r};")
        values = ", ".join(repr(v) for _, v, _ in metrics["npvProfile"])
        print(f"        public static readonly double[] NpvProfileAfterTax = [{values}];")
        values = ", ".join(repr(v) for _, _, v in metrics["npvProfile"])
        print(f"        public static readonly double[] NpvProfilePreTax = [{values}];")
        print("    }")
        return
    width = max(len(k) for k in periods)
    for name, values in periods.items():
        print(f"{name:<{width}} " + " ".join(f"{v:16.4f}" for v in values))
    for name, value in metrics.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
