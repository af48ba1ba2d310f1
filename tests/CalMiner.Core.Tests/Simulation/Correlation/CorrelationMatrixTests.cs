using CalMiner.Scenarios;
using CalMiner.Simulation.Correlation;

namespace CalMiner.Core.Tests.Simulation.Correlation;

public class CorrelationMatrixTests
{
    private static readonly string[] Names = ["goldPrice", "recovery", "capex"];

    [Fact]
    public void FromPairs_PlacesEachPairSymmetrically_AndLeavesTheRestIndependent()
    {
        var matrix = CorrelationMatrix.FromPairs(Names, [new("capex", "goldPrice", -0.3)]);

        Assert.Equal(new double[,] { { 1, 0, -0.3 }, { 0, 1, 0 }, { -0.3, 0, 1 } }, matrix.ToArray());
        Assert.False(matrix.IsIdentity);
        Assert.True(CorrelationMatrix.FromPairs(Names, []).IsIdentity);
    }

    [Theory]
    [InlineData("goldPrice", "silverPrice", "silverPrice")]
    [InlineData("capex", "capex", "itself")]
    public void FromPairs_RejectsAPairThatIsNotBetweenTwoKnownParameters(string a, string b, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => CorrelationMatrix.FromPairs(Names, [new(a, b, 0.5)]));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPairs_RejectsTheSamePairTwice()
    {
        CalMiner.Scenarios.Correlation[] pairs = [new("capex", "recovery", 0.5), new("recovery", "capex", 0.4)];

        Assert.Throws<ArgumentException>(() => CorrelationMatrix.FromPairs(Names, pairs));
    }

    [Fact]
    public void Check_AcceptsAValidMatrix_IncludingASingularOne()
    {
        var valid = CorrelationMatrix.FromArray(new double[,] { { 1, 0.5, 0.2 }, { 0.5, 1, -0.1 }, { 0.2, -0.1, 1 } });
        var singular = CorrelationMatrix.FromArray(new double[,] { { 1, 1, 0 }, { 1, 1, 0 }, { 0, 0, 1 } });

        Assert.True(CorrelationMatrixValidation.Check(valid).IsValid);
        Assert.True(CorrelationMatrixValidation.Check(singular).IsValid);
        var prepared = CorrelationMatrixValidation.Prepare(valid, repair: true);
        Assert.False(prepared.Repaired);
        Assert.Same(valid, prepared.Matrix);
    }

    [Fact]
    public void Check_RejectsAMatrixThatIsNotPositiveSemiDefinite_NamingItsSmallestEigenvalue()
    {
        // Three parameters pairwise correlated −0.6: eigenvalues 1 + 2(−0.6) = −0.2 and 1.6 (twice).
        var matrix = Equicorrelated(3, -0.6);

        var check = CorrelationMatrixValidation.Check(matrix);

        Assert.Equal(CorrelationProblem.NotPositiveSemiDefinite, check.Problem);
        Assert.Equal(-0.2, check.SmallestEigenvalue, 12);
        Assert.Contains("not positive semi-definite (smallest eigenvalue -0.2)", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_WithoutRepair_ThrowsAScenarioErrorOnTheCorrelations()
    {
        var error = Assert.Throws<InvalidScenarioException>(() => CorrelationMatrixValidation.Prepare(Equicorrelated(3, -0.6), repair: false));

        var problem = Assert.Single(error.Errors);
        Assert.Equal("correlations", problem.Path);
        Assert.Contains("smallest eigenvalue -0.2", problem.Message, StringComparison.Ordinal);
        Assert.Contains("nearest valid matrix", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_WithRepair_GivesTheNearestCorrelationMatrix_AndSaysSo()
    {
        // Higham (2002), section 4: the nearest correlation matrix to [1 1 0; 1 1 1; 0 1 1].
        var matrix = CorrelationMatrix.FromArray(new double[,] { { 1, 1, 0 }, { 1, 1, 1 }, { 0, 1, 1 } }, Names);

        var prepared = CorrelationMatrixValidation.Prepare(matrix, repair: true);

        Assert.True(prepared.Repaired);
        Assert.Equal(1 - Math.Sqrt(2), prepared.OriginalSmallestEigenvalue, 12);
        var repaired = prepared.Matrix;
        Assert.Equal(Names, repaired.Names);
        Assert.Equal(0.7607, repaired[0, 1], 4);
        Assert.Equal(0.1573, repaired[0, 2], 4);
        Assert.Equal(0.7607, repaired[1, 2], 4);
        AssertValid(repaired);
    }

    [Fact]
    public void Repair_OfEquicorrelatedMatrix_MovesTheCorrelationsJustFarEnough()
    {
        // The nearest valid matrix to three pairwise −0.6 correlations is three pairwise −0.5 (eigenvalue 0).
        var repaired = NearestCorrelation.Find(Equicorrelated(3, -0.6));

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(i == j ? 1 : -0.5, repaired[i, j], 6);
            }
        }

        AssertValid(repaired);
    }

    [Fact]
    public void Repair_OfALargeInconsistentMatrix_IsValidAndCloserThanAnyEasyFix()
    {
        var random = new Random(3);
        const int size = 12;
        var values = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            values[i, i] = 1;
            for (var j = i + 1; j < size; j++)
            {
                values[i, j] = values[j, i] = Math.Round((random.NextDouble() * 2) - 1, 2);
            }
        }

        var matrix = CorrelationMatrix.FromArray(values);
        Assert.False(CorrelationMatrixValidation.Check(matrix).IsValid);

        var repaired = NearestCorrelation.Find(matrix);

        AssertValid(repaired);

        // Closer than shrinking towards the identity until valid, the usual quick fix.
        var shrink = 1.0;
        CorrelationMatrix shrunk;
        do
        {
            shrink -= 0.01;
            var s = shrink;
            shrunk = CorrelationMatrix.FromArray(new double[size, size].Fill((i, j) => i == j ? 1 : values[i, j] * s));
        }
        while (!CorrelationMatrixValidation.Check(shrunk).IsValid);

        Assert.True(Distance(matrix, repaired) < Distance(matrix, shrunk));
    }

    [Theory]
    [InlineData(0, 1, 0.5, 0.4, nameof(CorrelationProblem.NotSymmetric))]
    [InlineData(1, 1, 0.9, 0.9, nameof(CorrelationProblem.DiagonalNotOne))]
    [InlineData(0, 2, 1.5, 1.5, nameof(CorrelationProblem.OutOfRange))]
    [InlineData(0, 2, double.NaN, double.NaN, nameof(CorrelationProblem.NotFinite))]
    public void Prepare_RejectsAMalformedMatrix_EvenWhenRepairIsAllowed(int row, int column, double value, double mirror, string problem)
    {
        var values = new double[,] { { 1, 0.2, 0.1 }, { 0.2, 1, 0.3 }, { 0.1, 0.3, 1 } };
        values[row, column] = value;
        values[column, row] = mirror;
        var matrix = CorrelationMatrix.FromArray(values, Names);

        Assert.Equal(problem, CorrelationMatrixValidation.Check(matrix).Problem.ToString());
        var error = Assert.Throws<InvalidScenarioException>(() => CorrelationMatrixValidation.Prepare(matrix, repair: true));
        Assert.Contains($"\"{Names[row]}\"", error.Message, StringComparison.Ordinal);
    }

    internal static CorrelationMatrix Equicorrelated(int size, double rho) =>
        CorrelationMatrix.FromArray(new double[size, size].Fill((i, j) => i == j ? 1 : rho));

    private static void AssertValid(CorrelationMatrix matrix)
    {
        for (var i = 0; i < matrix.Size; i++)
        {
            Assert.Equal(1, matrix[i, i]);
            for (var j = 0; j < matrix.Size; j++)
            {
                Assert.Equal(matrix[i, j], matrix[j, i]);
            }
        }

        Assert.True(CorrelationMatrixValidation.SmallestEigenvalue(matrix) > 0);
        Assert.True(CorrelationMatrixValidation.Check(matrix).IsValid);
    }

    private static double Distance(CorrelationMatrix a, CorrelationMatrix b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Size; i++)
        {
            for (var j = 0; j < a.Size; j++)
            {
                sum += (a[i, j] - b[i, j]) * (a[i, j] - b[i, j]);
            }
        }

        return Math.Sqrt(sum);
    }
}

internal static class MatrixFill
{
    public static double[,] Fill(this double[,] matrix, Func<int, int, double> value)
    {
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            for (var j = 0; j < matrix.GetLength(1); j++)
            {
                matrix[i, j] = value(i, j);
            }
        }

        return matrix;
    }
}
