namespace MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaSignature;

public static class Taker
{
    public static int Measure(Low.Thing? thing) => thing is null ? 0 : 1;
}
