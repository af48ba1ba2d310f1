using System.Runtime.Intrinsics;
using CalMiner.Numerics;

namespace CalMiner.Model;

/// <summary>
/// The cash-flow model of <see cref="CashFlowCalculator"/> evaluated several iterations at a time in vector
/// lanes (<see cref="ILanes{T}"/>: eight where the machine has 512-bit vectors, four with 256-bit, else two), the period loop
/// running with every running total in registers.
/// </summary>
/// <remarks>
/// <para>
/// The model is linear in the schedule: every line before tax is a period's tonnes, contained metal, capital or
/// depreciation times a rate that is the same in every period of an iteration (the price net of royalties per unit of
/// contained metal, the operating cost per tonne mined, the capital factor...). So the plan is compiled once into a
/// table of each period's amounts, and each group of lanes first works out its rates; a period then costs a few
/// products and sums, and the life-of-mine totals that C1 and AISC need are the table's totals times the rates.
/// Tax with losses carried forward, working capital, the metrics and the IRR follow the scalar model step by step.
/// </para>
/// <para>
/// The products are grouped differently from the scalar model's line by line statement, so the outputs equal it
/// to rounding (a few units in the last place of the flows), not bit for bit. Every lane width performs the same
/// operations in the same order, without fused multiply-adds, so a result is the same on every machine.
/// </para>
/// <para>
/// The plan is compiled in <see cref="KernelTable"/>; <c>ModelKernel{T}.cs</c> holds the period loop (the twin of
/// <see cref="CashFlowCalculator"/>), <c>ModelKernel{T}.Rates.cs</c> the per-iteration rates, and
/// <c>ModelKernel{T}.Irr.cs</c> the IRR's Newton steps (the twin of <see cref="CashFlowMath.Irr"/>).
/// </para>
/// </remarks>
internal abstract class ModelKernel
{
    /// <summary>What every lane width divides: iterations are evaluated in multiples of this.</summary>
    public const int Lanes = 8;

    /// <summary>Groups of lanes evaluated before their IRRs are solved together.</summary>
    public const int Groups = 4;

    /// <param name="plan">The compiled scenario.</param>
    protected ModelKernel(ScenarioPlan plan) => Table = new KernelTable(plan);

    /// <summary>The compiled scenario this kernel evaluates.</summary>
    public ScenarioPlan Plan => Table.Plan;

    /// <summary>The plan compiled into the table and registers that every evaluation reads.</summary>
    public KernelTable Table { get; }

    /// <summary>The kernel for this machine: the widest lanes it accelerates, 512, 256 or 128 bits (wider ones would be emulated).</summary>
    public static ModelKernel For(ScenarioPlan plan) =>
        Vector512.IsHardwareAccelerated ? new ModelKernel<Lanes8>(plan)
        : Vector256.IsHardwareAccelerated ? new ModelKernel<Lanes4>(plan)
        : new ModelKernel<Lanes2>(plan);

    /// <summary>Evaluates iterations [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>); <paramref name="count"/> is a multiple of <see cref="Lanes"/>.</summary>
    /// <param name="inputs">Per parameter of the plan, its sampled values from iteration <paramref name="start"/> on (at least <paramref name="count"/>), or null to hold its base value.</param>
    /// <param name="start">First iteration, a multiple of <see cref="Lanes"/>.</param>
    /// <param name="count">Number of iterations.</param>
    /// <param name="outputs">Where the outputs of each iteration go.</param>
    /// <param name="scratch">This thread's working memory, from <see cref="NewScratch"/>.</param>
    public abstract void Evaluate(double[]?[] inputs, int start, int count, OutputColumns outputs, Scratch scratch);

    /// <summary>Working memory for one thread's calls of <see cref="Evaluate"/>.</summary>
    public Scratch NewScratch() => new(Plan.Periods);

    /// <summary>One thread's working memory: the cash flows of a block of groups of lanes, and the IRR searches waiting.</summary>
    public sealed class Scratch(int periods)
    {
        public double[] CashFlows { get; } = new double[Groups * Lanes * periods];

        public IrrSearchBatch Searches { get; } = new(periods);
    }
}
