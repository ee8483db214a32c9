namespace MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaGeneric;

public sealed class Wrapper
{
    public IReadOnlyList<KeyValuePair<string, Low.Thing[]>> Items { get; } = [];
}
