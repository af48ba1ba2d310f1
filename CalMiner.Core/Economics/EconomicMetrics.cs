namespace CalMiner.Economics;

/// <summary>The value metrics of a scenario. A metric that does not exist for the cash flows is <see langword="null"/>.</summary>
public sealed record EconomicMetrics
{
    /// <summary>After-tax NPV at the scenario's discount rate and timing.</summary>
    public double NpvAfterTax { get; init; }

    /// <summary>Pre-tax NPV at the scenario's discount rate and timing.</summary>
    public double NpvPreTax { get; init; }

    /// <summary>After-tax IRR as a fraction: the largest rate in (−0.99, 10] where the NPV changes sign; <see langword="null"/> when there is none.</summary>
    public double? IrrAfterTax { get; init; }

    /// <summary>Pre-tax IRR as a fraction; <see langword="null"/> when there is none.</summary>
    public double? IrrPreTax { get; init; }

    /// <summary>Years from the start of period 0 until the cumulative after-tax cash flow first turns from negative to ≥ 0; 0 if never negative; <see langword="null"/> if never reached.</summary>
    public double? PaybackYears { get; init; }

    /// <summary>As <see cref="PaybackYears"/>, on discounted after-tax cash flows.</summary>
    public double? DiscountedPaybackYears { get; init; }

    /// <summary>Largest cumulative after-tax cash deficit: −min(cumulative after-tax cash flow), ≥ 0.</summary>
    public double PeakFunding { get; init; }

    /// <summary>C1 cash cost per payable primary unit: (operating cost + primary selling costs − by-product NSR) / primary payable; <see langword="null"/> without primary production.</summary>
    public double? CashCostPerUnit { get; init; }

    /// <summary>All-in sustaining cost per payable primary unit: C1 + (royalties + sustaining capital) / primary payable; <see langword="null"/> without primary production.</summary>
    public double? AiscPerUnit { get; init; }

    /// <summary>The constant primary price at which the after-tax NPV is 0; <see langword="null"/> when no price reaches it.</summary>
    public double? BreakevenPrice { get; init; }

    /// <summary>NPV at 0, 5, 8, 10, 12 and 15 %.</summary>
    public required IReadOnlyList<NpvAtRate> NpvProfile { get; init; }

    /// <summary>Life-of-mine emissions, t CO2e.</summary>
    public double Co2eTonnes { get; init; }

    /// <summary>Emissions per payable primary unit, kg CO2e; <see langword="null"/> without primary production.</summary>
    public double? Co2eKgPerUnit { get; init; }

    /// <inheritdoc />
    public bool Equals(EconomicMetrics? other) =>
        other is not null
        && NpvAfterTax.Equals(other.NpvAfterTax) && NpvPreTax.Equals(other.NpvPreTax)
        && IrrAfterTax.Equals(other.IrrAfterTax) && IrrPreTax.Equals(other.IrrPreTax)
        && PaybackYears.Equals(other.PaybackYears) && DiscountedPaybackYears.Equals(other.DiscountedPaybackYears)
        && PeakFunding.Equals(other.PeakFunding) && CashCostPerUnit.Equals(other.CashCostPerUnit)
        && AiscPerUnit.Equals(other.AiscPerUnit) && BreakevenPrice.Equals(other.BreakevenPrice)
        && NpvProfile.SequenceEqual(other.NpvProfile)
        && Co2eTonnes.Equals(other.Co2eTonnes) && Co2eKgPerUnit.Equals(other.Co2eKgPerUnit);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(NpvAfterTax, NpvPreTax, IrrAfterTax, PaybackYears);
}

/// <summary>The NPV of the cash flows at one discount rate.</summary>
/// <param name="Rate">Annual discount rate as a fraction.</param>
/// <param name="NpvAfterTax">After-tax NPV at <paramref name="Rate"/>.</param>
/// <param name="NpvPreTax">Pre-tax NPV at <paramref name="Rate"/>.</param>
public sealed record NpvAtRate(double Rate, double NpvAfterTax, double NpvPreTax);
