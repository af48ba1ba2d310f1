namespace CalMiner.Economics;

/// <summary>
/// Every line of the cash-flow model for one period, or their life-of-mine totals. Amounts are in the
/// scenario currency; tonnages in tonnes; negative amounts are costs only where the name says so
/// (cash flows and the working-capital change are signed, costs are positive).
/// </summary>
public sealed record CashFlowLine
{
    /// <summary>Period index, or <see langword="null"/> for life-of-mine totals.</summary>
    public int? Period { get; init; }

    /// <summary>Calendar year of the period, or <see langword="null"/> for life-of-mine totals.</summary>
    public int? Year { get; init; }

    /// <summary>Ore mined, t, after the throughput factor.</summary>
    public double OreMined { get; init; }

    /// <summary>Waste mined, t.</summary>
    public double WasteMined { get; init; }

    /// <summary>Ore processed, t, after the throughput factor.</summary>
    public double OreProcessed { get; init; }

    /// <summary>Production and revenue of each product, in the order of the scenario's products.</summary>
    public required IReadOnlyList<ProductLine> Products { get; init => field = ValueEquality.List(value); }

    /// <summary>Payable units of the primary product.</summary>
    public double PrimaryPayable { get; init; }

    /// <summary>Σ payable × price.</summary>
    public double GrossRevenue { get; init; }

    /// <summary>Σ payable × selling cost per unit (TC/RC, refining, freight).</summary>
    public double SellingCosts { get; init; }

    /// <summary>Net smelter return: gross revenue − selling costs.</summary>
    public double Nsr { get; init; }

    /// <summary>Royalties on NSR or gross revenue.</summary>
    public double Royalties { get; init; }

    /// <summary>Mining cost of ore and waste mined, after the operating-cost factor.</summary>
    public double MiningCost { get; init; }

    /// <summary>Processing cost, after the operating-cost factor.</summary>
    public double ProcessingCost { get; init; }

    /// <summary>General and administrative cost, after the operating-cost factor.</summary>
    public double GeneralAndAdmin { get; init; }

    /// <summary>Consumables cost, after the operating-cost factor.</summary>
    public double ConsumablesCost { get; init; }

    /// <summary>Carbon cost of the consumables' emissions, after the operating-cost factor.</summary>
    public double CarbonCost { get; init; }

    /// <summary>Equipment operating cost, after the operating-cost factor.</summary>
    public double EquipmentOperatingCost { get; init; }

    /// <summary>Total operating cost: the sum of the six categories above.</summary>
    public double OperatingCost { get; init; }

    /// <summary>NSR − royalties − operating cost.</summary>
    public double Ebitda { get; init; }

    /// <summary>Initial capital with contingency and factor, equipment bought before production included.</summary>
    public double InitialCapital { get; init; }

    /// <summary>Sustaining capital with contingency and factor, equipment bought or replaced during production included.</summary>
    public double SustainingCapital { get; init; }

    /// <summary>Closure capital with contingency.</summary>
    public double ClosureCapital { get; init; }

    /// <summary>Equipment purchases and replacements; already part of initial and sustaining capital.</summary>
    public double EquipmentCapital { get; init; }

    /// <summary>Total capital: initial + sustaining + closure.</summary>
    public double Capital { get; init; }

    /// <summary>Tax depreciation of initial and sustaining capital.</summary>
    public double Depreciation { get; init; }

    /// <summary>EBITDA − depreciation − closure.</summary>
    public double TaxableIncome { get; init; }

    /// <summary>Tax losses brought forward and set against this period's taxable income.</summary>
    public double LossesUsed { get; init; }

    /// <summary>Income tax: rate × max(0, taxable income − losses used).</summary>
    public double Tax { get; init; }

    /// <summary>Working capital balance at the end of the period; 0 at the end of the last period, and so in the totals.</summary>
    public double WorkingCapital { get; init; }

    /// <summary>Cash effect of the change in working capital: −(WC − previous WC).</summary>
    public double WorkingCapitalChange { get; init; }

    /// <summary>EBITDA − capital + working-capital change.</summary>
    public double PreTaxCashFlow { get; init; }

    /// <summary>Pre-tax cash flow − tax.</summary>
    public double AfterTaxCashFlow { get; init; }

    /// <summary>After-tax cash flow discounted at the scenario's rate and timing; its total is the after-tax NPV.</summary>
    public double DiscountedAfterTaxCashFlow { get; init; }

    /// <summary>Emissions of the consumables, t CO2e.</summary>
    public double Co2eTonnes { get; init; }
}

/// <summary>Production and revenue of one product in a period, or over the life of mine.</summary>
public sealed record ProductLine
{
    /// <summary>The product's name.</summary>
    public required string Name { get; init; }

    /// <summary>Metal contained in the processed ore, in the payable unit.</summary>
    public double Contained { get; init; }

    /// <summary>Contained × recovery, in the payable unit.</summary>
    public double Recovered { get; init; }

    /// <summary>Recovered × payability, in the payable unit.</summary>
    public double Payable { get; init; }

    /// <summary>Payable × price.</summary>
    public double GrossRevenue { get; init; }

    /// <summary>Payable × selling cost per unit.</summary>
    public double SellingCosts { get; init; }

    /// <summary>Gross revenue − selling costs.</summary>
    public double Nsr { get; init; }
}
