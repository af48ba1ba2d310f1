using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Numerics;

/// <summary>
/// A vector of doubles as the model kernel computes with it, one iteration a lane: <see cref="Lanes2"/> in 128 bits,
/// <see cref="Lanes4"/> in 256, <see cref="Lanes8"/> in 512. The kernel is written once against this and specialised for
/// each width, so every machine runs as many iterations an instruction as its widest accelerated vector holds. Every
/// operation is the IEEE operation lane by lane, so the width never changes a result.
/// </summary>
/// <typeparam name="T">The implementing type.</typeparam>
internal interface ILanes<T>
    where T : unmanaged, ILanes<T>
{
    static abstract int Count { get; }

    static abstract T Zero { get; }

    static abstract T Create(double value);

    static abstract T Load(ref readonly double source);

    /// <summary>Lanes where a mask is set; a mask lane is all ones or all zeros.</summary>
    static abstract T Select(T mask, T whenTrue, T whenFalse);

    static abstract T Equal(T left, T right);

    static abstract T LessThan(T left, T right);

    static abstract T LessThanOrEqual(T left, T right);

    static abstract T GreaterThan(T left, T right);

    static abstract T GreaterThanOrEqual(T left, T right);

    /// <summary>Mask of the lanes whose sign bits differ.</summary>
    static abstract T SignsDiffer(T left, T right);

    /// <summary><see cref="Math.Min(double, double)"/> in every lane.</summary>
    static abstract T Min(T left, T right);

    /// <summary><see cref="Math.Max(double, double)"/> in every lane.</summary>
    static abstract T Max(T left, T right);

    static abstract T Abs(T value);

    /// <summary>Whether any bit is set (compared as integers: a set mask lane is a NaN as a double).</summary>
    static abstract bool Any(T mask);

    /// <summary>Whether every bit is set (compared as integers: a set mask lane is a NaN as a double).</summary>
    static abstract bool All(T mask);

    static abstract T operator +(T left, T right);

    static abstract T operator -(T left, T right);

    static abstract T operator *(T left, T right);

    static abstract T operator /(T left, T right);

    static abstract T operator -(T value);

    static abstract T operator &(T left, T right);

    static abstract T operator |(T left, T right);

    static abstract T operator ~(T value);

    double this[int lane] { get; }

    void Store(ref double destination);
}

/// <summary>Two lanes in a <see cref="Vector128{T}"/>: Arm64, and x64 without AVX2.</summary>
internal readonly struct Lanes2(Vector128<double> value) : ILanes<Lanes2>
{
    private readonly Vector128<double> _value = value;

    public static int Count => Vector128<double>.Count;

    public static Lanes2 Zero => default;

    public double this[int lane] => _value.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 Create(double value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 Load(ref readonly double source) => new(Vector128.LoadUnsafe(in source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => _value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 Select(Lanes2 mask, Lanes2 whenTrue, Lanes2 whenFalse) => new(Vector128.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 Equal(Lanes2 left, Lanes2 right) => new(Vector128.Equals(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 LessThan(Lanes2 left, Lanes2 right) => new(Vector128.LessThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 LessThanOrEqual(Lanes2 left, Lanes2 right) => new(Vector128.LessThanOrEqual(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 GreaterThan(Lanes2 left, Lanes2 right) => new(Vector128.GreaterThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 GreaterThanOrEqual(Lanes2 left, Lanes2 right) => new(Vector128.GreaterThanOrEqual(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 SignsDiffer(Lanes2 left, Lanes2 right) =>
        new(Vector128.LessThan((left._value ^ right._value).AsInt64(), Vector128<long>.Zero).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 Min(Lanes2 left, Lanes2 right) => new(Vector128.Min(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 Max(Lanes2 left, Lanes2 right) => new(Vector128.Max(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 Abs(Lanes2 value) => new(Vector128.Abs(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lanes2 mask) => mask._value.AsUInt64() != Vector128<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Lanes2 mask) => mask._value.AsUInt64() == Vector128<ulong>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 operator +(Lanes2 left, Lanes2 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 operator -(Lanes2 left, Lanes2 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 operator *(Lanes2 left, Lanes2 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 operator /(Lanes2 left, Lanes2 right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 operator -(Lanes2 value) => new(-value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 operator &(Lanes2 left, Lanes2 right) => new(left._value & right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 operator |(Lanes2 left, Lanes2 right) => new(left._value | right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes2 operator ~(Lanes2 value) => new(~value._value);
}

/// <summary>Four lanes in a <see cref="Vector256{T}"/>.</summary>
internal readonly struct Lanes4(Vector256<double> value) : ILanes<Lanes4>
{
    private readonly Vector256<double> _value = value;

    public static int Count => Vector256<double>.Count;

    public static Lanes4 Zero => default;

    public double this[int lane] => _value.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Create(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Load(ref readonly double source) => new(Vector256.LoadUnsafe(in source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => _value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Select(Lanes4 mask, Lanes4 whenTrue, Lanes4 whenFalse) => new(Vector256.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Equal(Lanes4 left, Lanes4 right) => new(Vector256.Equals(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 LessThan(Lanes4 left, Lanes4 right) => new(Vector256.LessThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 LessThanOrEqual(Lanes4 left, Lanes4 right) => new(Vector256.LessThanOrEqual(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 GreaterThan(Lanes4 left, Lanes4 right) => new(Vector256.GreaterThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 GreaterThanOrEqual(Lanes4 left, Lanes4 right) => new(Vector256.GreaterThanOrEqual(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 SignsDiffer(Lanes4 left, Lanes4 right) =>
        new(Vector256.LessThan((left._value ^ right._value).AsInt64(), Vector256<long>.Zero).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Min(Lanes4 left, Lanes4 right) => new(Vector256.Min(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Max(Lanes4 left, Lanes4 right) => new(Vector256.Max(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Abs(Lanes4 value) => new(Vector256.Abs(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lanes4 mask) => mask._value.AsUInt64() != Vector256<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Lanes4 mask) => mask._value.AsUInt64() == Vector256<ulong>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator +(Lanes4 left, Lanes4 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator -(Lanes4 left, Lanes4 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator *(Lanes4 left, Lanes4 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator /(Lanes4 left, Lanes4 right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator -(Lanes4 value) => new(-value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator &(Lanes4 left, Lanes4 right) => new(left._value & right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator |(Lanes4 left, Lanes4 right) => new(left._value | right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator ~(Lanes4 value) => new(~value._value);
}

/// <summary>Eight lanes in a <see cref="Vector512{T}"/>.</summary>
internal readonly struct Lanes8(Vector512<double> value) : ILanes<Lanes8>
{
    private readonly Vector512<double> _value = value;

    public static int Count => Vector512<double>.Count;

    public static Lanes8 Zero => default;

    public double this[int lane] => _value.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Create(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Load(ref readonly double source) => new(Vector512.LoadUnsafe(in source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => _value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Select(Lanes8 mask, Lanes8 whenTrue, Lanes8 whenFalse) => new(Vector512.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Equal(Lanes8 left, Lanes8 right) => new(Vector512.Equals(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 LessThan(Lanes8 left, Lanes8 right) => new(Vector512.LessThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 LessThanOrEqual(Lanes8 left, Lanes8 right) => new(Vector512.LessThanOrEqual(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 GreaterThan(Lanes8 left, Lanes8 right) => new(Vector512.GreaterThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 GreaterThanOrEqual(Lanes8 left, Lanes8 right) => new(Vector512.GreaterThanOrEqual(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 SignsDiffer(Lanes8 left, Lanes8 right) =>
        new(Vector512.LessThan((left._value ^ right._value).AsInt64(), Vector512<long>.Zero).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Min(Lanes8 left, Lanes8 right) => new(Vector512.Min(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Max(Lanes8 left, Lanes8 right) => new(Vector512.Max(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Abs(Lanes8 value) => new(Vector512.Abs(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lanes8 mask) => mask._value.AsUInt64() != Vector512<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Lanes8 mask) => mask._value.AsUInt64() == Vector512<ulong>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator +(Lanes8 left, Lanes8 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator -(Lanes8 left, Lanes8 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator *(Lanes8 left, Lanes8 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator /(Lanes8 left, Lanes8 right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator -(Lanes8 value) => new(-value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator &(Lanes8 left, Lanes8 right) => new(left._value & right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator |(Lanes8 left, Lanes8 right) => new(left._value | right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator ~(Lanes8 value) => new(~value._value);
}
