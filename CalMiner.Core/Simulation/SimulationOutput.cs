namespace CalMiner.Simulation;

/// <summary>A metric the simulation computes in every iteration: the key of <see cref="SimulationResult.Output"/>.</summary>
public enum SimulationOutput
{
    /// <summary>After-tax net present value.</summary>
    NpvAfterTax,

    /// <summary>After-tax internal rate of return; absent when it does not exist.</summary>
    IrrAfterTax,

    /// <summary>Pre-tax net present value.</summary>
    NpvPreTax,

    /// <summary>Years to pay back the capital; absent when it is never paid back.</summary>
    PaybackYears,

    /// <summary>The largest cumulative negative cash flow.</summary>
    PeakFunding,

    /// <summary>Cash cost per payable unit of the primary product.</summary>
    CashCostPerUnit,

    /// <summary>All-in sustaining cost per payable unit of the primary product.</summary>
    AiscPerUnit,
}

/// <summary>The names the outputs have in <see cref="SimulationResult.Outputs"/>, in the JSON and in the sample CSV.</summary>
internal static class SimulationOutputNames
{
    public static string Of(SimulationOutput output) => output switch
    {
        SimulationOutput.NpvAfterTax => "npvAfterTax",
        SimulationOutput.IrrAfterTax => "irrAfterTax",
        SimulationOutput.NpvPreTax => "npvPreTax",
        SimulationOutput.PaybackYears => "paybackYears",
        SimulationOutput.PeakFunding => "peakFunding",
        SimulationOutput.CashCostPerUnit => "cashCostPerUnit",
        SimulationOutput.AiscPerUnit => "aiscPerUnit",
        _ => ThrowHelper.ThrowUndefinedOutput(output),
    };
}
