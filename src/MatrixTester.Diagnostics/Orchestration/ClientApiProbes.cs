using System.Net;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// The client API requests of the calls and login checks (both transports paths, the three login metadata paths),
/// sent right behind <c>/_matrix/client/versions</c> on its connection, so they leave in the same pipelined write and
/// their answers come in the same round trip: the calls and login verdicts then cost the diagnosis almost no time.
/// </summary>
internal sealed record ClientApiProbes(IReadOnlyList<Task<HttpExchange>> Transports, IReadOnlyList<Task<HttpExchange>> Metadata)
{
    public static readonly string[] TransportsPaths = [TransportsEndpoint.UnstablePath, TransportsEndpoint.StablePath];

    /// <summary>Tried in this order: the first that answers with an issuer wins.</summary>
    public static readonly string[] MetadataPaths = [AuthDocuments.MetadataPath, AuthDocuments.UnstableMetadataPath, AuthDocuments.UnstableIssuerPath];

    /// <summary>Sends every probe now; each joins the connection's queue before this returns.</summary>
    public static ClientApiProbes Start(HttpsFetcher fetcher, int maxBodyBytes, Uri baseUri, IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        Task<HttpExchange> Get(string path)
        {
            var url = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + path);
            return fetcher.SendAsync(OutboundRequest.Get(url.PathAndQuery, maxBodyBytes), url, address, cancellationToken);
        }
        return new ClientApiProbes([.. TransportsPaths.Select(Get)], [.. MetadataPaths.Select(Get)]);
    }

    /// <summary>The checks will not run (the client API did not answer): nobody awaits these, so their outcome is observed here.</summary>
    public void Abandon()
    {
        foreach (var task in Transports.Concat(Metadata))
        {
            _ = task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
