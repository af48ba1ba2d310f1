using System.Collections;

namespace CalMiner;

/// <summary>
/// Read-only views of the lists and dictionaries inside the result records that compare by their contents,
/// so that two results with equal values are equal (a record compares a plain list by reference). The
/// records wrap what they are given in their init accessors; the view neither copies nor changes it.
/// </summary>
internal static class ValueEquality
{
    public static IReadOnlyList<T> List<T>(IReadOnlyList<T> items) =>
        items is null or EquatableList<T> ? items! : new EquatableList<T>(items);

    public static IReadOnlyDictionary<TKey, TValue> Dictionary<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> items)
        where TKey : notnull =>
        items is null or EquatableDictionary<TKey, TValue> ? items! : new EquatableDictionary<TKey, TValue>(items, EqualityComparer<TValue>.Default);

    /// <summary>Columns of values by name, compared value by value.</summary>
    public static IReadOnlyDictionary<string, double[]> Columns(IReadOnlyDictionary<string, double[]> items) =>
        items is null or EquatableDictionary<string, double[]> ? items! : new EquatableDictionary<string, double[]>(items, ArrayComparer.Instance);

    private sealed class EquatableList<T>(IReadOnlyList<T> items) : IReadOnlyList<T>
    {
        private readonly IReadOnlyList<T> _items = items;

        public int Count => _items.Count;

        public T this[int index] => _items[index];

        public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override bool Equals(object? obj) =>
            obj is EquatableList<T> other && (ReferenceEquals(_items, other._items) || _items.SequenceEqual(other._items));

        // The count and the first item: cheap for long lists, and equal lists agree on both.
        public override int GetHashCode() => HashCode.Combine(_items.Count, _items.Count > 0 ? _items[0] : default);
    }

    private sealed class EquatableDictionary<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> items, IEqualityComparer<TValue> valueComparer)
        : IReadOnlyDictionary<TKey, TValue>
        where TKey : notnull
    {
        private readonly IReadOnlyDictionary<TKey, TValue> _items = items;

        public int Count => _items.Count;

        public IEnumerable<TKey> Keys => _items.Keys;

        public IEnumerable<TValue> Values => _items.Values;

        public TValue this[TKey key] => _items[key];

        public bool ContainsKey(TKey key) => _items.ContainsKey(key);

        public bool TryGetValue(TKey key, out TValue value) => _items.TryGetValue(key, out value!);

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override bool Equals(object? obj) =>
            obj is EquatableDictionary<TKey, TValue> other
            && (ReferenceEquals(_items, other._items)
                || (_items.Count == other._items.Count
                    && _items.All(pair => other._items.TryGetValue(pair.Key, out var value) && valueComparer.Equals(pair.Value, value))));

        // Order-independent, as the equality is: the count and the keys.
        public override int GetHashCode()
        {
            var hash = _items.Count;
            foreach (var key in _items.Keys)
            {
                hash ^= key.GetHashCode();
            }

            return hash;
        }
    }

    private sealed class ArrayComparer : IEqualityComparer<double[]>
    {
        public static ArrayComparer Instance { get; } = new();

        public bool Equals(double[]? x, double[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(double[] obj) => obj.Length;
    }
}
