using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests;

/// <summary>A test class with its own lab (DNS server and hosts), started before each test and torn down after.</summary>
public abstract class LabTest : IAsyncLifetime
{
    private FederationLab? _lab;

    protected FederationLab Lab => _lab ?? throw new InvalidOperationException("The lab starts in InitializeAsync.");

    public virtual async ValueTask InitializeAsync() => _lab = await FederationLab.StartAsync();

    public virtual async ValueTask DisposeAsync()
    {
        await Lab.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
