using MatrixTester.Web.Abuse;

namespace MatrixTester.Web.Federation;

/// <summary>
/// Who a two-way probe is for: the client (<see cref="ClientAddress.PartitionKey"/>) whose request started the
/// diagnosis, for the per-client share of probes. The engine knows nothing of clients, so the site carries it
/// ambiently: every request sets it, and the diagnosis that request starts (on tasks it spawns) reads it when it asks
/// for a probe. Diagnoses no request started (watches) have none and count only towards the overall cap.
/// </summary>
public static class ProbeOwner
{
    private static readonly AsyncLocal<string?> Owner = new();

    /// <summary>The client of the request this code runs for, or null.</summary>
    public static string? Current => Owner.Value;

    /// <summary>Marks the rest of the pipeline with the client address (after the forwarded-address rule applied).</summary>
    public static WebApplication UseProbeOwner(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            Owner.Value = ClientAddress.PartitionKey(context.Connection.RemoteIpAddress);
            return next(context);
        });
        return app;
    }

    /// <summary>Runs <paramref name="work"/> as if for <paramref name="client"/> (tests; jobs acting for someone).</summary>
    public static async Task<T> RunAsAsync<T>(string? client, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var previous = Owner.Value;
        Owner.Value = client;
        try
        {
            return await work();
        }
        finally
        {
            Owner.Value = previous;
        }
    }
}
