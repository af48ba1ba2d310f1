using System.Globalization;
using CalMiner.Scenarios;
using MathNet.Numerics.LinearAlgebra;

namespace CalMiner.Simulation.Correlation;

/// <summary>What makes a matrix not a valid correlation matrix.</summary>
internal enum CorrelationProblem
{
    None,
    NotFinite,
    NotSymmetric,
    DiagonalNotOne,
    OutOfRange,
    NotPositiveSemiDefinite,
}

/// <summary>The result of checking a correlation matrix.</summary>
/// <param name="Problem">The first problem found, or <see cref="CorrelationProblem.None"/>.</param>
/// <param name="SmallestEigenvalue">The smallest eigenvalue (NaN when the matrix is not symmetric and finite, so it was not computed).</param>
/// <param name="Message">A sentence that names the problem, e.g. "the correlation matrix is not positive semi-definite (smallest eigenvalue -0.12)"; null when valid.</param>
internal readonly record struct CorrelationMatrixCheck(CorrelationProblem Problem, double SmallestEigenvalue, string? Message)
{
    public bool IsValid => Problem == CorrelationProblem.None;
}

/// <summary>A correlation matrix ready for a run.</summary>
/// <param name="Matrix">The matrix the run uses: the one given, or its repair.</param>
/// <param name="Repaired">True when the given matrix was not positive semi-definite and <see cref="Matrix"/> is the nearest valid one.</param>
/// <param name="OriginalSmallestEigenvalue">Smallest eigenvalue of the matrix as given (negative when it was repaired).</param>
/// <param name="MaxChange">The largest absolute change the repair made to any correlation; 0 when not repaired.</param>
internal sealed record PreparedCorrelation(CorrelationMatrix Matrix, bool Repaired, double OriginalSmallestEigenvalue, double MaxChange = 0);

/// <summary>
/// Checks that a matrix is a valid correlation matrix (finite, symmetric, unit diagonal, entries in
/// −1..1, positive semi-definite) and, when asked, repairs one that is not positive semi-definite.
/// </summary>
internal static class CorrelationMatrixValidation
{
    /// <summary>Largest rounding error tolerated in symmetry and the diagonal.</summary>
    public const double EntryTolerance = 1e-12;

    /// <summary>Eigenvalues down to −1e-10 count as 0: a matrix that is singular up to rounding (e.g. a correlation of exactly 1) is valid.</summary>
    public const double EigenvalueTolerance = 1e-10;

    public static CorrelationMatrixCheck Check(CorrelationMatrix matrix)
    {
        var size = matrix.Size;
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                var value = matrix[i, j];
                if (!double.IsFinite(value))
                {
                    return Problem(CorrelationProblem.NotFinite, $"the correlation of {Pair(matrix, i, j)} is {Format(value)}, not a number");
                }

                if (i == j && Math.Abs(value - 1) > EntryTolerance)
                {
                    return Problem(CorrelationProblem.DiagonalNotOne, $"the correlation of {Quote(matrix, i)} with itself is {Format(value)}, not 1");
                }

                if (j > i && Math.Abs(value - matrix[j, i]) > EntryTolerance)
                {
                    return Problem(CorrelationProblem.NotSymmetric, $"the correlation matrix is not symmetric: {Pair(matrix, i, j)} is {Format(value)} one way and {Format(matrix[j, i])} the other");
                }

                if (Math.Abs(value) > 1)
                {
                    return Problem(CorrelationProblem.OutOfRange, $"the correlation of {Pair(matrix, i, j)} is {Format(value)}, outside -1..1");
                }
            }
        }

        var smallest = SmallestEigenvalue(matrix);
        return smallest < -EigenvalueTolerance
            ? new CorrelationMatrixCheck(
                CorrelationProblem.NotPositiveSemiDefinite,
                smallest,
                $"the correlation matrix is not positive semi-definite (smallest eigenvalue {Format(smallest)}): some correlations contradict the others")
            : new CorrelationMatrixCheck(CorrelationProblem.None, smallest, null);

        static CorrelationMatrixCheck Problem(CorrelationProblem problem, string message) => new(problem, double.NaN, message);
    }

    /// <summary>
    /// The matrix to run with. A valid matrix is used as it is. One that is only not positive
    /// semi-definite is an error, or, when <paramref name="repair"/> is true, replaced by the nearest
    /// valid correlation matrix. Any other problem is always an error.
    /// </summary>
    /// <exception cref="InvalidScenarioException">The matrix is invalid and cannot or may not be repaired; the error is on <c>correlations</c> and names the problem (and the smallest eigenvalue).</exception>
    public static PreparedCorrelation Prepare(CorrelationMatrix matrix, bool repair)
    {
        var check = Check(matrix);
        if (check.IsValid)
        {
            return new PreparedCorrelation(matrix, false, check.SmallestEigenvalue);
        }

        if (check.Problem != CorrelationProblem.NotPositiveSemiDefinite)
        {
            ThrowHelper.ThrowInvalidScenario([new ScenarioError("correlations", $"are invalid: {check.Message}")]);
        }

        if (!repair)
        {
            ThrowHelper.ThrowInvalidScenario([new ScenarioError(
                "correlations",
                $"{Contradiction(check.SmallestEigenvalue)}; change them, or repair them to the nearest valid matrix ({nameof(SimulationOptions)}.{nameof(SimulationOptions.RepairCorrelations)})")]);
        }

        var nearest = NearestCorrelation.Find(matrix);
        return new PreparedCorrelation(nearest, true, check.SmallestEigenvalue, MaxChange(matrix, nearest));
    }

    /// <summary>
    /// What is wrong with correlations whose matrix is not positive semi-definite, after the field's
    /// name: e.g. "contradict one another: their matrix is not positive semi-definite (smallest eigenvalue -0.8)".
    /// </summary>
    public static string Contradiction(double smallestEigenvalue) =>
        $"contradict one another: their matrix is not positive semi-definite (smallest eigenvalue {Format(smallestEigenvalue)})";

    private static double MaxChange(CorrelationMatrix given, CorrelationMatrix repaired)
    {
        var change = 0.0;
        for (var i = 0; i < given.Values.Length; i++)
        {
            change = Math.Max(change, Math.Abs(repaired.Values[i] - given.Values[i]));
        }

        return change;
    }

    /// <summary>The smallest eigenvalue of a symmetric matrix.</summary>
    public static double SmallestEigenvalue(CorrelationMatrix matrix) =>
        matrix.Size == 0 ? double.NaN : SymmetricEigenvalues(matrix.Size, matrix.Values).Minimum();

    internal static Vector<double> SymmetricEigenvalues(int size, ReadOnlySpan<double> values)
    {
        var m = Matrix<double>.Build.Dense(size, size, values.ToArray());
        return m.Evd(Symmetricity.Symmetric).EigenValues.Map(c => c.Real);
    }

    /// <summary>Invariant, 4 significant digits: -0.1235, -3.2E-07.</summary>
    internal static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Quote(CorrelationMatrix matrix, int i) => $"\"{matrix.NameOf(i)}\"";

    private static string Pair(CorrelationMatrix matrix, int i, int j) => $"{Quote(matrix, i)} and {Quote(matrix, j)}";
}
