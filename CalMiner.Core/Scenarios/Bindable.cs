using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using CalMiner.Scenarios.Json;

namespace CalMiner.Scenarios;

/// <summary>
/// An input that is either a number or the name of a scenario parameter whose value may be uncertain.
/// In a scenario document it is written as a JSON number or a JSON string.
/// </summary>
[JsonConverter(typeof(BindableJsonConverter))]
public readonly struct Bindable : IEquatable<Bindable>
{
    // False only for default(Bindable): an input that was not given, which the records replace by their default.
    private readonly bool _given;

    private Bindable(double number, string? parameter)
    {
        Number = number;
        Parameter = parameter;
        _given = true;
    }

    /// <summary>The number, when this input is not bound to a parameter; otherwise 0.</summary>
    public double Number { get; }

    /// <summary>The name of the parameter this input is bound to, or <see langword="null"/> for a plain number.</summary>
    public string? Parameter { get; }

    /// <summary>Whether this input is bound to a parameter.</summary>
    [MemberNotNullWhen(true, nameof(Parameter))]
    public bool IsParameter => Parameter is not null;

    /// <summary>An input bound to the parameter <paramref name="name"/>.</summary>
    /// <param name="name">The parameter's name, a key of <see cref="ScenarioDocument.Parameters"/>.</param>
    public static Bindable Of(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Bindable(0, name);
    }

    /// <summary>A plain number.</summary>
    public static Bindable FromNumber(double number) => new(number, null);

    /// <summary>A plain number.</summary>
    public static implicit operator Bindable(double number) => new(number, null);

    /// <summary>This input, or <paramref name="fallback"/> when it was not given (it is <c>default</c>).</summary>
    internal Bindable Or(double fallback) => _given ? this : fallback;

    /// <inheritdoc />
    public bool Equals(Bindable other) =>
        string.Equals(Parameter, other.Parameter, StringComparison.Ordinal) && Number.Equals(other.Number);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Bindable other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Number, Parameter);

    /// <summary>The parameter name, or the number in invariant culture.</summary>
    public override string ToString() =>
        Parameter ?? Number.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Equality of two inputs.</summary>
    public static bool operator ==(Bindable left, Bindable right) => left.Equals(right);

    /// <summary>Inequality of two inputs.</summary>
    public static bool operator !=(Bindable left, Bindable right) => !left.Equals(right);
}
