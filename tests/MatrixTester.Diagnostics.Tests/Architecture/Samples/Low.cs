namespace MatrixTester.Diagnostics.Tests.Architecture.Samples.Low;

// The target of every sample reference: each other sample folder uses it in exactly one way.
public class Thing
{
    public static Thing Create() => new();
}

[AttributeUsage(AttributeTargets.All)]
public sealed class MarkAttribute : Attribute;
