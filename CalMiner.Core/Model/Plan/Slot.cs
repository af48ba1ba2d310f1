using CalMiner.Scenarios;

namespace CalMiner.Model;

/// <summary>A bindable input: the value of parameter <see cref="Parameter"/>, or <see cref="Constant"/> when that is −1.</summary>
internal readonly record struct Slot(int Parameter, double Constant)
{
    public double Value(ReadOnlySpan<double> parameters) => Parameter >= 0 ? parameters[Parameter] : Constant;
}

/// <summary>Turns a document's bindable inputs into <see cref="Slot"/>s of its parameter vector.</summary>
/// <param name="parameterNames">The document's parameters, in order: a slot's index is a name's position.</param>
internal readonly struct SlotBinder(string[] parameterNames)
{
    public Slot Bind(Bindable input) =>
        input.IsParameter ? new Slot(Array.IndexOf(parameterNames, input.Parameter), 0) : new Slot(-1, input.Number);
}
