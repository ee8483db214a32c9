namespace MatrixTester.Diagnostics.Tests.Architecture.Samples.ViaBase;

public class Derived : Low.Thing;
