using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace CalMiner.Benchmarks;

/// <summary>
/// Runs the chosen benchmarks three times over, in processes whose runtime may use every vector width the machine
/// accelerates, not AVX-512, and not AVX2 either (as scripts/test.sh repeats the core's tests), so that the figures
/// for 512-, 256- and 128-bit lanes are measured on one machine in one sitting. Each job runs in its own process: the
/// switches are environment variables the runtime reads at start, so <c>--inProcess</c> cannot apply them.
/// </summary>
/// <remarks>
/// <c>widths [--job default|dry|short|medium|long|verylong] [other BenchmarkDotNet arguments]</c>; on a machine without
/// AVX-512 the first two jobs run the same code.
/// </remarks>
internal static class SimdWidths
{
    public static void Run(string[] args)
    {
        var rest = new List<string>();
        var baseJob = Job.Default;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--job" or "-j" && i + 1 < args.Length)
            {
                baseJob = BaseJob(args[++i]);
            }
            else if (args[i] is "--inProcess" or "-i")
            {
                Console.Error.WriteLine("widths: --inProcess cannot switch vector widths off; each width needs a process of its own.");
                Environment.ExitCode = 2;
                return;
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        BenchmarkSwitcher.FromAssembly(typeof(SimdWidths).Assembly).Run([.. rest], Config(baseJob));
    }

    /// <summary>Three jobs like <paramref name="baseJob"/>: all widths, without AVX-512, without AVX2 (and so without AVX-512).</summary>
    public static IConfig Config(Job baseJob) => ManualConfig.Create(DefaultConfig.Instance).AddJob(
        baseJob.WithId("AllWidths").AsBaseline(),
        baseJob.WithEnvironmentVariable("DOTNET_EnableAVX512F", "0").WithId("NoAvx512"),
        baseJob.WithEnvironmentVariable("DOTNET_EnableAVX2", "0").WithId("NoAvx2"))
        // Building the benchmark process takes minutes on a small, busy machine, past the default limit of two.
        .WithBuildTimeout(TimeSpan.FromMinutes(15));

    private static Job BaseJob(string name) => name.ToLowerInvariant() switch
    {
        "default" => Job.Default,
        "dry" => Job.Dry,
        "short" => Job.ShortRun,
        "medium" => Job.MediumRun,
        "long" => Job.LongRun,
        "verylong" => Job.VeryLongRun,
        _ => throw new ArgumentException($"--job {name}: expected default, dry, short, medium, long or verylong.", nameof(name)),
    };
}
