using CalMiner.Model;
using CalMiner.Scenarios;

namespace CalMiner.Simulation.Stages;

/// <summary>What every stage of one run shares: the compiled scenario, its kernel, the run's size, randomness and threads.</summary>
internal sealed class RunContext(
    ScenarioPlan plan, int iterations, long seed, SamplingMethod sampling, int threads,
    IProgress<SimulationProgress>? progress, CancellationToken cancellation)
{
    public ScenarioPlan Plan { get; } = plan;

    public ModelKernel Kernel { get; } = ModelKernel.For(plan);

    public int Iterations { get; } = iterations;

    /// <summary>The iterations rounded up to whole groups of lanes: the length of the output columns.</summary>
    public int Padded { get; } = (iterations + ModelKernel.Lanes - 1) / ModelKernel.Lanes * ModelKernel.Lanes;

    public long Seed { get; } = seed;

    public SamplingMethod Sampling { get; } = sampling;

    public int Threads { get; } = threads;

    public ParallelOptions Parallel { get; } = new() { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };

    public CancellationToken Cancellation { get; } = cancellation;

    public void Report(SimulationStage stage, int completed, int total) => progress?.Report(new SimulationProgress(stage, completed, total));
}
