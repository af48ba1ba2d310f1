using CalMiner.Numerics;
using CalMiner.Scenarios;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// The compiled inverse CDF of one parameter: built once from its <see cref="Distribution"/> (solved to
/// standard form, truncation folded in), then maps uniforms to samples, one at a time or a span at a
/// time. Immutable and thread-safe. The quantile never decreases as u increases, so the rank of a
/// sample among its parameter's samples is the rank of its uniform (ties only where the distribution
/// has atoms). The span and scalar forms give the same bits for the same u.
/// </summary>
internal sealed class ParameterSampler
{
    /// <summary>The PERT shape λ when a document leaves it out.</summary>
    public const double DefaultPertLambda = 4.0;

    private readonly QuantileFunction _function;

    private ParameterSampler(Distribution standardForm, QuantileFunction function, double low, double high)
    {
        StandardForm = standardForm;
        _function = function;
        Low = low;
        High = high;
    }

    /// <summary>The distribution sampled, in mean/sd or min/mode/max form.</summary>
    public Distribution StandardForm { get; }

    /// <summary>The smallest value a sample can take (the quantile at u = 0), truncation included.</summary>
    public double Low { get; }

    /// <summary>The largest value a sample can take (the quantile at u = 1), truncation included.</summary>
    public double High { get; }

    /// <summary>True when every sample is the same value.</summary>
    public bool IsConstant => StandardForm.Type == DistributionType.Constant;

    /// <summary>
    /// The sampler of a parameter: its distribution, or its base-case value when it has none.
    /// </summary>
    /// <exception cref="ArgumentException">A percentile form has no solution, or the truncation leaves no probability; <see cref="ArgumentException.ParamName"/> names the field.</exception>
    public static ParameterSampler Create(Distribution? distribution, double baseValue) =>
        distribution is null ? Constant(baseValue) : Create(distribution);

    /// <summary>A sampler that always gives <paramref name="value"/>.</summary>
    public static ParameterSampler Constant(double value) =>
        new(new Distribution { Type = DistributionType.Constant, Value = value }, new KernelFunction<ConstantKernel>(new ConstantKernel(value)), value, value);

    /// <summary>The sampler of a distribution whose fields have passed the document's rules.</summary>
    /// <exception cref="ArgumentException">A percentile form has no solution, or the truncation leaves no probability; <see cref="ArgumentException.ParamName"/> names the field.</exception>
    public static ParameterSampler Create(Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var d = DistributionSolver.ToStandardForm(distribution);
        double tMin = d.Truncate?.Min ?? double.NegativeInfinity, tMax = d.Truncate?.Max ?? double.PositiveInfinity;
        switch (d.Type)
        {
            case DistributionType.Constant:
                return Constant(Field(d.Value, "value"));

            case DistributionType.Normal:
                return NormalFamily(d, Field(d.Mean, "mean"), Field(d.Sd, "sd"), tMin, tMax, tMin, tMax, lognormal: false);

            case DistributionType.Lognormal:
            {
                double mean = Field(d.Mean, "mean"), sd = Field(d.Sd, "sd");
                var ratio = sd / mean;

                // σ² = ln(1 + (sd/mean)²), without overflow for absurd ratios.
                var variance = ratio < 1e150 ? PortableMath.Log1P(ratio * ratio) : 2 * PortableMath.Log(ratio);
                var mu = PortableMath.Log(mean) - 0.5 * variance;
                double logMin = tMin > 0 ? PortableMath.Log(tMin) : double.NegativeInfinity;
                double logMax = tMax > 0 ? PortableMath.Log(tMax) : double.NegativeInfinity;
                return NormalFamily(d, mu, Math.Sqrt(variance), logMin, logMax, Math.Max(tMin, 0), tMax, lognormal: true);
            }

            case DistributionType.Uniform:
            {
                double low = Math.Max(Field(d.Min, "min"), tMin), high = Math.Min(Field(d.Max, "max"), tMax);
                NoMassUnless(high > low);
                return new(d, new KernelFunction<UniformKernel>(new UniformKernel(low, high)), low, high);
            }

            case DistributionType.Triangular:
            {
                double min = Field(d.Min, "min"), mode = Field(d.Mode, "mode"), max = Field(d.Max, "max");
                double low = Math.Max(min, tMin), high = Math.Min(max, tMax);
                double cdfLow = TriangularCdf(min, mode, max, low), cdfHigh = TriangularCdf(min, mode, max, high);
                NoMassUnless(high > low && cdfHigh > cdfLow);
                var kernel = new TriangularKernel(min, mode, max, cdfLow, cdfHigh - cdfLow, low, high);
                return new(d, new KernelFunction<TriangularKernel>(kernel), low, high);
            }

            case DistributionType.Pert:
            {
                double min = Field(d.Min, "min"), mode = Field(d.Mode, "mode"), max = Field(d.Max, "max");
                var lambda = d.Lambda ?? DefaultPertLambda;
                var width = max - min;
                var table = BetaQuantileTable.Create(1 + lambda * (mode - min) / width, 1 + lambda * (max - mode) / width);
                double low = Math.Max(min, tMin), high = Math.Min(max, tMax);
                var cdfLow = BetaFunctions.Regularized(table.A, table.B, table.LogBeta, (low - min) / width);
                var cdfHigh = BetaFunctions.Regularized(table.A, table.B, table.LogBeta, (high - min) / width);
                NoMassUnless(high > low && cdfHigh > cdfLow);
                var kernel = new PertKernel(table, min, width, cdfLow, cdfHigh - cdfLow, low, high);
                return new(d, new NormalBasedFunction<PertKernel>(kernel), low, high);
            }

            case DistributionType.Discrete:
                return Discrete(d);

            case DistributionType.Empirical:
            {
                var sorted = d.Values?.ToArray() ?? [];
                if (sorted.Length == 0)
                {
                    ThrowHelper.ThrowInvalidField("values", "must list at least one value");
                }

                Array.Sort(sorted);
                return new(d, new KernelFunction<EmpiricalKernel>(new EmpiricalKernel(sorted)), sorted[0], sorted[^1]);
            }

            default:
                ThrowHelper.ThrowInvalidField("type", "is not one of the allowed values");
                return null!;
        }
    }

    /// <summary>The sample for uniform <paramref name="u"/>; u ≤ 0 gives <see cref="Low"/>, u ≥ 1 <see cref="High"/>, NaN gives NaN (a constant ignores u).</summary>
    public double Quantile(double u) => _function.Quantile(u);

    /// <summary>destination[i] = <see cref="Quantile(double)"/>(u[i]); allocation-free; in place (destination = u) is allowed.</summary>
    public void Quantiles(ReadOnlySpan<double> u, Span<double> destination) => _function.Quantiles(u, destination);

    private static ParameterSampler NormalFamily(
        Distribution d, double mu, double sigma, double underlyingMin, double underlyingMax, double low, double high, bool lognormal)
    {
        // See NormalFamilyKernel: the standard deviates of the truncation bounds decide the mapping of u.
        double zMin = (underlyingMin - mu) / sigma, zMax = (underlyingMax - mu) / sigma;
        double c0 = 0, c1 = 1, scale = sigma, mass = 1;
        if (zMin > 0)
        {
            var survivalMin = NormalFunctions.Cdf(-zMin);
            mass = survivalMin - NormalFunctions.Cdf(-zMax);
            (c0, c1, scale) = (survivalMin, -mass, -sigma);
        }
        else if (zMin > double.NegativeInfinity || zMax < double.PositiveInfinity)
        {
            var cdfMin = NormalFunctions.Cdf(zMin);
            mass = NormalFunctions.Cdf(zMax) - cdfMin;
            (c0, c1) = (cdfMin, mass);
        }

        NoMassUnless(mass > 0 && high > low);
        var kernel = new NormalFamilyKernel(c0, c1, mu, scale, low, high, lognormal);
        return new(d, new NormalBasedFunction<NormalFamilyKernel>(kernel), low, high);
    }

    private static ParameterSampler Discrete(Distribution d)
    {
        var values = d.Values ?? [];
        var weights = d.Weights ?? [];
        if (values.Count == 0)
        {
            ThrowHelper.ThrowInvalidField("values", "must list at least one value");
        }

        if (weights.Count != values.Count)
        {
            ThrowHelper.ThrowInvalidField("weights", $"must have one weight per value ({values.Count}), not {weights.Count}");
        }

        // Sort by value and merge repeated values, so that the quantile increases with u.
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var distinct = new List<double>(values.Count);
        var mass = new List<double>(values.Count);
        foreach (var i in order)
        {
            if (!(weights[i] > 0 && double.IsFinite(weights[i])))
            {
                ThrowHelper.ThrowInvalidField($"weights[{i}]", "must be > 0");
            }

            if (distinct.Count > 0 && distinct[^1] == values[i])
            {
                mass[^1] += weights[i];
            }
            else
            {
                distinct.Add(values[i]);
                mass.Add(weights[i]);
            }
        }

        var total = 0.0;
        foreach (var w in mass)
        {
            total += w;
        }

        var cumulative = new double[mass.Count];
        var running = 0.0;
        for (var k = 0; k < cumulative.Length; k++)
        {
            running += mass[k];
            cumulative[k] = running / total;
        }

        cumulative[^1] = 1.0;
        var sorted = distinct.ToArray();
        return new(d, new KernelFunction<DiscreteKernel>(new DiscreteKernel(sorted, cumulative)), sorted[0], sorted[^1]);
    }

    private static double TriangularCdf(double min, double mode, double max, double x)
    {
        if (x <= min)
        {
            return 0;
        }

        if (x >= max)
        {
            return 1;
        }

        return x <= mode
            ? (x - min) * (x - min) / ((max - min) * (mode - min))
            : 1 - (max - x) * (max - x) / ((max - min) * (max - mode));
    }

    private static double Field(double? value, string field)
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            ThrowHelper.ThrowInvalidField(field, "is required and must be a finite number");
            return 0;
        }

        return v;
    }

    private static void NoMassUnless(bool condition)
    {
        if (!condition)
        {
            ThrowHelper.ThrowInvalidField("truncate", "leaves no probability mass: the bounds exclude the whole distribution");
        }
    }

    /// <summary>A quantile function behind one virtual call per span.</summary>
    private abstract class QuantileFunction
    {
        public abstract double Quantile(double u);

        public abstract void Quantiles(ReadOnlySpan<double> u, Span<double> destination);
    }

    private sealed class NormalBasedFunction<TKernel>(TKernel kernel) : QuantileFunction
        where TKernel : struct, INormalBasedKernel
    {
        private readonly TKernel _kernel = kernel;

        public override double Quantile(double u) => _kernel.Quantile(u);

        public override void Quantiles(ReadOnlySpan<double> u, Span<double> destination) =>
            QuantileDriver.QuantilesViaNormal(in _kernel, u, destination);
    }

    private sealed class KernelFunction<TKernel>(TKernel kernel) : QuantileFunction
        where TKernel : struct, IQuantileKernel
    {
        private readonly TKernel _kernel = kernel;

        public override double Quantile(double u) => _kernel.Quantile(u);

        public override void Quantiles(ReadOnlySpan<double> u, Span<double> destination) =>
            QuantileDriver.Quantiles(in _kernel, u, destination);
    }
}
