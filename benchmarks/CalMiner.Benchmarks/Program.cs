using BenchmarkDotNet.Running;
using CalMiner.Benchmarks;

if (args is ["compare", .. var rest])
{
    BuildComparison.Run(rest);
    return;
}

if (args is ["widths", .. var widthArgs])
{
    SimdWidths.Run(widthArgs);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
