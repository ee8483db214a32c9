namespace MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaBody;

public static class Caller
{
    // Only the method body names the other folder: the signature says object.
    public static object Make() => Low.Thing.Create();
}
