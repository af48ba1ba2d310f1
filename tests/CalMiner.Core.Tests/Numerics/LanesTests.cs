using CalMiner.Model;
using CalMiner.Numerics;


namespace CalMiner.Core.Tests.Numerics;

/// <summary>The masks of the kernel's lanes: a set lane is all ones, which as a double is a NaN.</summary>
public sealed class LanesTests
{
    [Fact]
    public void AllAndAny_ReadMasksAsBits_InEveryWidth()
    {
        AssertMasks<Lanes2>();
        AssertMasks<Lanes4>();
        AssertMasks<Lanes8>();
    }

    private static void AssertMasks<T>()
        where T : unmanaged, ILanes<T>
    {
        var set = T.Equal(T.Zero, T.Zero);
        var clear = T.Zero;
        var values = new double[T.Count];
        values[0] = 1;
        var one = T.Equal(T.Load(in values[0]), T.Create(1));

        Assert.True(T.All(set), $"{typeof(T).Name}: All of a full mask");
        Assert.True(T.Any(set), $"{typeof(T).Name}: Any of a full mask");
        Assert.False(T.All(one), $"{typeof(T).Name}: All of a mask with one lane set");
        Assert.True(T.Any(one), $"{typeof(T).Name}: Any of a mask with one lane set");
        Assert.False(T.All(clear), $"{typeof(T).Name}: All of an empty mask");
        Assert.False(T.Any(clear), $"{typeof(T).Name}: Any of an empty mask");
    }
}
