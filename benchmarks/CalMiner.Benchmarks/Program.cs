using BenchmarkDotNet.Running;
using CalMiner.Benchmarks;

if (args is ["compare", .. var rest])
{
    BuildComparison.Run(rest);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
