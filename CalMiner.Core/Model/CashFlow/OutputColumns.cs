using System.Buffers;
using CalMiner.Economics;
using CalMiner.Simulation;

namespace CalMiner.Model;

/// <summary>
/// The per-iteration outputs of a run, one column each; absent values (no IRR, no payback) are NaN. The columns
/// come from the shared array pool (runs one after another reuse memory the operating system has already mapped)
/// and may be longer than the run: only the first iterations are outputs. Dispose it to give them back.
/// </summary>
internal sealed class OutputColumns : IDisposable
{
    // After Return(keep), the one column still held.
    private double[]? _kept;
    private bool _returned, _disposed;

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

    /// <summary>Gives every column but <paramref name="keep"/> back to the pool, early; nothing may read them afterwards. <see cref="Dispose"/> gives back <paramref name="keep"/>.</summary>
    public void Return(double[] keep)
    {
        if (_returned)
        {
            return;
        }

        foreach (var (_, values) in Named)
        {
            if (!ReferenceEquals(values, keep))
            {
                ArrayPool<double>.Shared.Return(values);
            }
        }

        (_kept, _returned) = (keep, true);
    }

    /// <summary>Gives the columns still held back to the pool; nothing may read them afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_returned)
        {
            ArrayPool<double>.Shared.Return(_kept!);
            return;
        }

        foreach (var (_, values) in Named)
        {
            ArrayPool<double>.Shared.Return(values);
        }
    }

    private static string Name(SimulationOutput output) => SimulationOutputNames.Of(output);

    private static double[] Rent(int length) => ArrayPool<double>.Shared.Rent(length);
}
