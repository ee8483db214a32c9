namespace MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaField;

public sealed class Holder(Low.Thing value)
{
    private readonly Low.Thing _value = value;

    public override string ToString() => _value.ToString() ?? "";
}
