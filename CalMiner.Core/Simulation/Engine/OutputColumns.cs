namespace CalMiner.Simulation.Engine;

/// <summary>The per-iteration outputs of a run, one column each; absent values (no IRR, no payback) are NaN.</summary>
internal sealed class OutputColumns
{
    public OutputColumns(int length)
    {
        NpvAfterTax = new double[length];
        NpvPreTax = new double[length];
        IrrAfterTax = new double[length];
        PaybackYears = new double[length];
        PeakFunding = new double[length];
        CashCostPerUnit = new double[length];
        AiscPerUnit = new double[length];
    }

    public double[] NpvAfterTax { get; }

    public double[] NpvPreTax { get; }

    public double[] IrrAfterTax { get; }

    public double[] PaybackYears { get; }

    public double[] PeakFunding { get; }

    public double[] CashCostPerUnit { get; }

    public double[] AiscPerUnit { get; }

    /// <summary>The columns with their output names, in report order.</summary>
    public IEnumerable<(string Name, double[] Values)> Named =>
    [
        ("npvAfterTax", NpvAfterTax), ("irrAfterTax", IrrAfterTax), ("npvPreTax", NpvPreTax), ("paybackYears", PaybackYears),
        ("peakFunding", PeakFunding), ("cashCostPerUnit", CashCostPerUnit), ("aiscPerUnit", AiscPerUnit),
    ];
}
