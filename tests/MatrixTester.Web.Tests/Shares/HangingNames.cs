using MatrixTester.Lab;

namespace MatrixTester.Web.Tests.Shares;

/// <summary>
/// Server names whose server never answers: each resolves to one lab address whose HTTPS host completes the TLS
/// handshake and then holds every request until <see cref="Release"/> (or until the request is aborted). A diagnosis of
/// one of them keeps its slot for as long as the test wants, which is what an attacker's "slow names" do.
/// </summary>
internal sealed class HangingNames
{
    private static int _batches;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    private HangingNames(string[] names) => Names = names;

    public IReadOnlyList<string> Names { get; }

    /// <summary>How many requests have reached the host (each waiting diagnosis asks once it has a slot).</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    public static async Task<HangingNames> StartAsync(FederationLab lab, int count)
    {
        var batch = Interlocked.Increment(ref _batches);
        var names = Enumerable.Range(0, count).Select(i => $"slow{i}.hang{batch}.example.test").ToArray();
        var hanging = new HangingNames(names);
        var address = FederationLab.NewAddress();
        foreach (var name in names)
        {
            lab.Zone.A(name, address.ToString());
        }
        await lab.HttpsAsync(address, 443, lab.Pki.Issue(names), routes => routes.Map("/.well-known/matrix/server", async context =>
        {
            Interlocked.Increment(ref hanging._arrived);
            await hanging._released.Task.WaitAsync(context.RequestAborted);
        }));
        return hanging;
    }

    /// <summary>Lets every held request go (the diagnoses then finish quickly, with a useless well-known answer).</summary>
    public void Release() => _released.TrySetResult();
}
