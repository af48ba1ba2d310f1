using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

/// <summary>
/// A fast, accurate quantile function of one Beta(a, b) distribution, compiled once per sampler: the
/// quantile as a function of z = Φ⁻¹(u) is smooth and nearly linear (exactly Φ for a = b = 1, nearly
/// linear for large shapes), so it is interpolated by degree-7 Chebyshev polynomials on equal pieces of
/// z ∈ [-8.5, 8.5], which covers every u a random stream produces (2^-53 .. 1 - 2^-53). The table is
/// checked against the exact CDF when it is built and refined until |F(x) - u| &lt; 1e-11 everywhere
/// on it; rarer u outside it, and shapes the table cannot reach, are solved exactly.
/// </summary>
internal sealed class BetaQuantileTable
{
    private const double ZMin = -8.5;
    private const double ZMax = 8.5;
    private const int Coefficients = 8;
    private const double Tolerance = 1e-11;
    private const int FirstPieces = 64;
    private const int MaxPieces = 2048;

    // 1.5 · 2^52: adding it to a small whole double puts that integer in the low bits.
    private const double RoundingShift = 6755399441055744.0;

    private readonly double _a;
    private readonly double _b;
    private readonly double _logBeta;
    private readonly double[]? _table;
    private readonly double _piecesPerUnit;
    private readonly int _lastPiece;

    private BetaQuantileTable(double a, double b, double logBeta, double[]? table, int pieces, double maxError)
    {
        (_a, _b, _logBeta, _table) = (a, b, logBeta, table);
        _piecesPerUnit = pieces / (ZMax - ZMin);
        _lastPiece = pieces - 1;
        Pieces = table is null ? 0 : pieces;
        MaxError = maxError;
    }

    /// <summary>Pieces in the table; 0 when every value is solved exactly.</summary>
    public int Pieces { get; }

    /// <summary>The largest |F(x) - u| found when the table was checked.</summary>
    public double MaxError { get; }

    public double A => _a;

    public double B => _b;

    public double LogBeta => _logBeta;

    public static BetaQuantileTable Create(double a, double b)
    {
        var logBeta = BetaFunctions.LogBeta(a, b);
        var worst = double.PositiveInfinity;
        for (var pieces = FirstPieces; pieces <= MaxPieces; pieces *= 2)
        {
            var table = Build(a, b, logBeta, pieces);
            worst = Check(a, b, logBeta, table, pieces);
            if (worst < Tolerance)
            {
                return new BetaQuantileTable(a, b, logBeta, table, pieces, worst);
            }
        }

        return new BetaQuantileTable(a, b, logBeta, null, MaxPieces, worst);
    }

    /// <summary>The quantile at u in (0, 1), given z = Φ⁻¹(u) (<see cref="NormalFunctions.Quantile(double)"/> of the same u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Quantile(double u, double z)
    {
        if (_table is null || !(z >= ZMin && z <= ZMax))
        {
            return Exact(u);
        }

        var position = (z - ZMin) * _piecesPerUnit;
        var piece = (int)position;
        piece = piece > _lastPiece ? _lastPiece : piece;
        var s = 2.0 * (position - piece) - 1.0;
        ref var c = ref _table[piece * Coefficients];
        var x = Unsafe.Add(ref c, 7);
        x = x * s + Unsafe.Add(ref c, 6);
        x = x * s + Unsafe.Add(ref c, 5);
        x = x * s + Unsafe.Add(ref c, 4);
        x = x * s + Unsafe.Add(ref c, 3);
        x = x * s + Unsafe.Add(ref c, 2);
        x = x * s + Unsafe.Add(ref c, 1);
        x = x * s + c;
        x = x < 0 ? 0 : x;
        return x > 1 ? 1 : x;
    }

    /// <summary>
    /// <see cref="Quantile(double, double)"/> lane by lane, the same bits: the polynomials are evaluated
    /// four at a time when every lane falls in the table.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Quantile(Vector256<double> u, Vector256<double> z)
    {
        var inside = Vector256.GreaterThanOrEqual(z, Vector256.Create(ZMin)) & Vector256.LessThanOrEqual(z, Vector256.Create(ZMax));
        if (_table is null || inside.ExtractMostSignificantBits() != 0xF)
        {
            return Vector256.Create(
                Quantile(u.GetElement(0), z.GetElement(0)),
                Quantile(u.GetElement(1), z.GetElement(1)),
                Quantile(u.GetElement(2), z.GetElement(2)),
                Quantile(u.GetElement(3), z.GetElement(3)));
        }

        var position = (z - Vector256.Create(ZMin)) * Vector256.Create(_piecesPerUnit);
        var piece = Vector256.Floor(position);
        piece = Vector256.ConditionalSelect(Vector256.GreaterThan(piece, Vector256.Create((double)_lastPiece)), Vector256.Create((double)_lastPiece), piece);
        var s = Vector256.Create(2.0) * (position - piece) - Vector256<double>.One;

        // The pieces' first coefficients, converted exactly by the rounding-shift trick.
        var first = ((piece + Vector256.Create(RoundingShift)).AsInt64() - Vector256.Create(BitConverter.DoubleToInt64Bits(RoundingShift))) << 3;
        ref var t = ref MemoryMarshal.GetArrayDataReference(_table);
        ref var c0 = ref Unsafe.Add(ref t, (nint)first.GetElement(0));
        ref var c1 = ref Unsafe.Add(ref t, (nint)first.GetElement(1));
        ref var c2 = ref Unsafe.Add(ref t, (nint)first.GetElement(2));
        ref var c3 = ref Unsafe.Add(ref t, (nint)first.GetElement(3));
        var x = Vector256.Create(Unsafe.Add(ref c0, 7), Unsafe.Add(ref c1, 7), Unsafe.Add(ref c2, 7), Unsafe.Add(ref c3, 7));
        for (var j = 6; j >= 0; j--)
        {
            x = x * s + Vector256.Create(Unsafe.Add(ref c0, j), Unsafe.Add(ref c1, j), Unsafe.Add(ref c2, j), Unsafe.Add(ref c3, j));
        }

        x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256<double>.Zero, x);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.One), Vector256<double>.One, x);
    }

    /// <summary>The quantile at u solved on the exact CDF (slow; for the rare u the table does not cover).</summary>
    public double Exact(double u) =>
        u <= 0.5
            ? BetaFunctions.QuantileOfLowerTail(_a, _b, _logBeta, u)
            : 1.0 - BetaFunctions.QuantileOfLowerTail(_b, _a, _logBeta, 1.0 - u);

    // The exact quantile at z, each tail solved with its own small probability so that both keep full precision.
    private static double ExactAtZ(double a, double b, double logBeta, double z, double guess)
    {
        return z <= 0
            ? BetaFunctions.QuantileOfLowerTail(a, b, logBeta, NormalFunctions.Cdf(z), guess)
            : 1.0 - BetaFunctions.QuantileOfLowerTail(b, a, logBeta, NormalFunctions.Cdf(-z), double.IsNaN(guess) ? guess : 1.0 - guess);
    }

    private static double[] Build(double a, double b, double logBeta, int pieces)
    {
        var table = new double[pieces * Coefficients];
        Span<double> values = stackalloc double[Coefficients];
        Span<double> chebyshev = stackalloc double[Coefficients];
        var width = (ZMax - ZMin) / pieces;
        var guess = double.NaN;
        for (var piece = 0; piece < pieces; piece++)
        {
            var middle = ZMin + (piece + 0.5) * width;

            // Chebyshev points of the first kind, visited from left to right so that each solve starts near its neighbour.
            for (var j = Coefficients - 1; j >= 0; j--)
            {
                var z = middle + 0.5 * width * CosSixteenthsOfPi(2 * j + 1);
                values[j] = ExactAtZ(a, b, logBeta, z, guess);
                guess = values[j];
            }

            for (var k = 0; k < Coefficients; k++)
            {
                var sum = 0.0;
                for (var j = 0; j < Coefficients; j++)
                {
                    sum += values[j] * CosSixteenthsOfPi(k * (2 * j + 1));
                }

                chebyshev[k] = sum * (k == 0 ? 1.0 : 2.0) / Coefficients;
            }

            ToMonomial(chebyshev, table.AsSpan(piece * Coefficients, Coefficients));
        }

        return table;
    }

    // Σ c_k T_k(s) as Σ m_j s^j, by the recurrence T_{k+1} = 2 s T_k - T_{k-1}.
    private static void ToMonomial(ReadOnlySpan<double> chebyshev, Span<double> monomial)
    {
        Span<double> previous = stackalloc double[Coefficients];
        Span<double> current = stackalloc double[Coefficients];
        Span<double> next = stackalloc double[Coefficients];
        previous.Clear();
        current.Clear();
        monomial.Clear();
        previous[0] = 1;
        current[1] = 1;
        monomial[0] = chebyshev[0];
        monomial[1] = chebyshev[1];
        for (var k = 2; k < Coefficients; k++)
        {
            for (var j = 0; j < Coefficients; j++)
            {
                next[j] = (j > 0 ? 2 * current[j - 1] : 0) - previous[j];
                monomial[j] += chebyshev[k] * next[j];
            }

            current.CopyTo(previous);
            next.CopyTo(current);
        }
    }

    // cos(mπ/16) from literals and symmetry: Math.Cos comes from the C library and may differ by an ulp
    // between platforms, which would change the table and so every PERT sample.
    private static double CosSixteenthsOfPi(int m)
    {
        ReadOnlySpan<double> firstQuadrant =
        [
            1.0, 0.98078528040323044912618223613424, 0.92387953251128675612818318939679,
            0.83146961230254523707878837761791, 0.70710678118654752440084436210485, 0.55557023301960222474283081394853,
            0.38268343236508977172845998403040, 0.19509032201612826784828486847702, 0.0,
        ];
        m %= 32;
        m = m > 16 ? 32 - m : m;
        return m > 8 ? -firstQuadrant[16 - m] : firstQuadrant[m];
    }

    // The largest |F(x) - u| over the piece ends and points between the interpolation nodes.
    private static double Check(double a, double b, double logBeta, double[] table, int pieces)
    {
        var probe = new BetaQuantileTable(a, b, logBeta, table, pieces, 0);
        var width = (ZMax - ZMin) / pieces;
        var worst = 0.0;
        const int PointsPerPiece = 9;
        for (var piece = 0; piece < pieces; piece++)
        {
            for (var i = 0; i <= PointsPerPiece; i++)
            {
                var z = ZMin + (piece + (double)i / PointsPerPiece) * width;
                z = Math.Min(z, ZMax);
                var u = NormalFunctions.Cdf(z);
                var x = probe.Quantile(u, z);
                var error = z <= 0
                    ? BetaFunctions.LowerTail(a, b, logBeta, x) - u
                    : BetaFunctions.LowerTail(b, a, logBeta, 1.0 - x) - NormalFunctions.Cdf(-z);
                worst = Math.Max(worst, Math.Abs(error));
            }
        }

        return worst;
    }
}
