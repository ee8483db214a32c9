namespace MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaNested;

public static class Outer
{
    // The reference sits in a nested type; it still counts for the folder.
    public sealed class Inner
    {
        public Low.Thing? Value { get; init; }
    }
}
