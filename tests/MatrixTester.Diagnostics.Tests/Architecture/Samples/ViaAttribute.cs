namespace MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaAttribute;

[Low.Mark]
public sealed class Marked;
