using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace CalMiner.Benchmarks;

/// <summary>
/// Compares the simulation of two builds of CalMiner.Core in one process: each build is loaded in its own
/// <see cref="AssemblyLoadContext"/> and their runs alternate, so both see the same drift of a shared host's speed,
/// which moves separate benchmark runs by tens of percent. Reports each build's median and the median ratio of
/// neighbouring runs, with its quartiles.
/// </summary>
/// <remarks>
/// <c>compare DIR_A DIR_B [gold|synthetic|FILE.json] [iterations] [threads] [pairs]</c>, where each directory holds a
/// build of CalMiner.Core (<c>dotnet build CalMiner.Core -c Release -o DIR</c>, for instance in a worktree of an
/// older commit). The scenario is written as JSON by this build and read by each build.
/// </remarks>
internal static class BuildComparison
{
    public static void Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: compare DIR_A DIR_B [gold|synthetic|FILE.json] [iterations] [threads] [pairs]");
            Environment.ExitCode = 2;
            return;
        }

        var scenario = args.Length > 2 ? args[2] : "gold";
        var iterations = args.Length > 3 ? int.Parse(args[3]) : 1_000_000;
        var threads = args.Length > 4 ? int.Parse(args[4]) : -1;
        var pairs = args.Length > 5 ? int.Parse(args[5]) : 20;
        var json = scenario switch
        {
            "gold" => BenchmarkScenarios.Gold().ToJson(),
            "synthetic" => BenchmarkScenarios.Synthetic30By15().ToJson(),
            _ => File.ReadAllText(scenario),
        };

        var a = Build.Load(args[0], json, iterations, threads);
        var b = Build.Load(args[1], json, iterations, threads);
        for (var i = 0; i < 3; i++)
        {
            a.Time();
            b.Time();
        }

        var (timesA, timesB, ratios) = (new List<double>(), new List<double>(), new List<double>());
        for (var i = 0; i < pairs; i++)
        {
            // Alternate which goes first, so neither always runs on the other's warm caches.
            double ta, tb;
            if (i % 2 == 0)
            {
                (ta, tb) = (a.Time(), b.Time());
            }
            else
            {
                tb = b.Time();
                ta = a.Time();
            }

            timesA.Add(ta);
            timesB.Add(tb);
            ratios.Add(tb / ta);
        }

        ratios.Sort();
        Console.WriteLine($"{scenario}, {iterations:N0} iterations, threads {threads}, {pairs} pairs");
        Console.WriteLine($"  A {args[0]}: median {Median(timesA):F1} ms, best {timesA.Min():F1} ms");
        Console.WriteLine($"  B {args[1]}: median {Median(timesB):F1} ms, best {timesB.Min():F1} ms");
        Console.WriteLine($"  B / A: median {Median(ratios):F3}, quartiles {ratios[pairs / 4]:F3}–{ratios[3 * pairs / 4]:F3}");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>One build's simulation, reached through reflection in its own load context.</summary>
    private sealed class Build(Func<object> run)
    {
        public static Build Load(string directory, string scenarioJson, int iterations, int threads)
        {
            var context = new BuildContext(Path.GetFullPath(directory));
            var core = context.LoadFromAssemblyPath(Path.Combine(Path.GetFullPath(directory), "CalMiner.Core.dll"));
            var document = core.GetType("CalMiner.Scenarios.ScenarioDocument", throwOnError: true)!
                .GetMethod("Parse", [typeof(string)])!.Invoke(null, [scenarioJson])!;
            var optionsType = core.GetType("CalMiner.Simulation.SimulationOptions", throwOnError: true)!;
            var options = Activator.CreateInstance(optionsType)!;
            optionsType.GetProperty("Iterations")!.SetValue(options, iterations);
            optionsType.GetProperty("MaxDegreeOfParallelism")!.SetValue(options, threads);
            var monteCarlo = core.GetType("CalMiner.Simulation.MonteCarlo", throwOnError: true)!;
            var run = monteCarlo.GetMethods().Single(m => m.Name == "Run" && m.GetParameters().Length == 4);
            return new Build(() => run.Invoke(null, [document, options, null, CancellationToken.None])!);
        }

        public double Time()
        {
            var watch = Stopwatch.StartNew();
            run();
            return watch.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>Resolves a build's own assemblies from its directory, and the framework's (not in a build's output) as usual.</summary>
    private sealed class BuildContext(string directory) : AssemblyLoadContext(isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
