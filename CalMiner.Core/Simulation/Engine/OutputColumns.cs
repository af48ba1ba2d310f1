using System.Buffers;

namespace CalMiner.Simulation.Engine;

/// <summary>
/// The per-iteration outputs of a run, one column each; absent values (no IRR, no payback) are NaN. The columns
/// come from the shared array pool (runs one after another reuse memory the operating system has already mapped)
/// and may be longer than the run: only the first iterations are outputs.
/// </summary>
internal sealed class OutputColumns
{
    public OutputColumns(int length)
    {
        NpvAfterTax = Rent(length);
        NpvPreTax = Rent(length);
        IrrAfterTax = Rent(length);
        PaybackYears = Rent(length);
        PeakFunding = Rent(length);
        CashCostPerUnit = Rent(length);
        AiscPerUnit = Rent(length);
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
        (Name(SimulationOutput.NpvAfterTax), NpvAfterTax), (Name(SimulationOutput.IrrAfterTax), IrrAfterTax),
        (Name(SimulationOutput.NpvPreTax), NpvPreTax), (Name(SimulationOutput.PaybackYears), PaybackYears),
        (Name(SimulationOutput.PeakFunding), PeakFunding), (Name(SimulationOutput.CashCostPerUnit), CashCostPerUnit),
        (Name(SimulationOutput.AiscPerUnit), AiscPerUnit),
    ];

    /// <summary>Gives every column but <paramref name="keep"/> back to the pool; nothing may read them afterwards.</summary>
    public void Return(double[]? keep = null)
    {
        foreach (var (_, values) in Named)
        {
            if (!ReferenceEquals(values, keep))
            {
                ArrayPool<double>.Shared.Return(values);
            }
        }
    }

    private static string Name(SimulationOutput output) => SimulationOutputNames.Of(output);

    private static double[] Rent(int length) => ArrayPool<double>.Shared.Rent(length);
}
