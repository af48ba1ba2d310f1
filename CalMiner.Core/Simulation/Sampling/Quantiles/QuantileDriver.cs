using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CalMiner.Simulation.Sampling;

/// <summary>Runs a kernel over a span: vectors of 4 where all lanes are inside (0, 1), the scalar form elsewhere.</summary>
internal static class QuantileDriver
{
    /// <summary>
    /// destination[i] = Q(u[i]) for every i. <paramref name="destination"/> may be <paramref name="u"/>
    /// itself (in place), but must not otherwise overlap it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Quantiles<TKernel>(in TKernel kernel, ReadOnlySpan<double> u, Span<double> destination)
        where TKernel : struct, IQuantileKernel
    {
        CheckSpans(u, destination);

        ref var source = ref MemoryMarshal.GetReference(u);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var length = (nuint)u.Length;
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= length; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref source, i);
                var inside = Vector256.GreaterThan(v, Vector256<double>.Zero) & Vector256.LessThan(v, Vector256<double>.One);
                if (inside.ExtractMostSignificantBits() == 0xF)
                {
                    kernel.QuantileInside(v).StoreUnsafe(ref target, i);
                }
                else
                {
                    for (nuint j = i; j < i + 4; j++)
                    {
                        Unsafe.Add(ref target, j) = kernel.Quantile(Unsafe.Add(ref source, j));
                    }
                }
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref target, i) = kernel.Quantile(Unsafe.Add(ref source, i));
        }
    }

    /// <summary>
    /// As <see cref="Quantiles{TKernel}"/>, for kernels built on Φ⁻¹: in chunks, first v and Φ⁻¹(v) for the
    /// whole chunk (<see cref="NormalFunctions.Quantiles"/>), then x. The same bits as the scalar form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantilesViaNormal<TKernel>(in TKernel kernel, ReadOnlySpan<double> u, Span<double> destination)
        where TKernel : struct, INormalBasedKernel
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            Quantiles(in kernel, u, destination);
            return;
        }

        CheckSpans(u, destination);

        const int Chunk = 256;
        Span<double> v = stackalloc double[Chunk];
        Span<double> z = stackalloc double[Chunk];
        Span<int> scratch = stackalloc int[Chunk];
        ref var vs = ref MemoryMarshal.GetReference(v);
        ref var zs = ref MemoryMarshal.GetReference(z);
        double c0 = kernel.C0, c1 = kernel.C1;
        for (var start = 0; start < u.Length; start += Chunk)
        {
            var count = Math.Min(Chunk, u.Length - start);
            var whole = count & ~3;
            ref var source = ref Unsafe.Add(ref MemoryMarshal.GetReference(u), start);
            ref var target = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), start);

            // Lanes outside (0, 1) take v = 0.5 here and are redone by the scalar form below.
            for (nuint i = 0; i < (nuint)whole; i += 4)
            {
                var x = Vector256.LoadUnsafe(ref source, i);
                var inside = Vector256.GreaterThan(x, Vector256<double>.Zero) & Vector256.LessThan(x, Vector256<double>.One);
                Vector256.ConditionalSelect(inside, UnitInterval.Map(c0, c1, x), Vector256.Create(0.5)).StoreUnsafe(ref vs, i);
            }

            NormalFunctions.Quantiles(v[..whole], z, scratch);

            // Read u before writing x at the same place, so that destination may be u itself.
            for (nuint i = 0; i < (nuint)whole; i += 4)
            {
                var x = Vector256.LoadUnsafe(ref source, i);
                var inside = Vector256.GreaterThan(x, Vector256<double>.Zero) & Vector256.LessThan(x, Vector256<double>.One);
                if (inside.ExtractMostSignificantBits() == 0xF)
                {
                    kernel.FromStandardNormal(Vector256.LoadUnsafe(ref vs, i), Vector256.LoadUnsafe(ref zs, i)).StoreUnsafe(ref target, i);
                }
                else
                {
                    for (var j = i; j < i + 4; j++)
                    {
                        Unsafe.Add(ref target, j) = kernel.Quantile(Unsafe.Add(ref source, j));
                    }
                }
            }

            for (var i = whole; i < count; i++)
            {
                Unsafe.Add(ref target, i) = kernel.Quantile(Unsafe.Add(ref source, i));
            }
        }
    }

    /// <summary>The contract of both drivers, as TensorPrimitives checks it: long enough, and in place or apart.</summary>
    private static void CheckSpans(ReadOnlySpan<double> u, Span<double> destination)
    {
        if (destination.Length < u.Length)
        {
            ThrowHelper.ThrowArgument(nameof(destination), "The destination is shorter than the input.");
        }

        if (u.Overlaps(destination, out var offset) && offset != 0)
        {
            ThrowHelper.ThrowArgument(nameof(destination), "The destination overlaps the input other than exactly in place.");
        }
    }
}
