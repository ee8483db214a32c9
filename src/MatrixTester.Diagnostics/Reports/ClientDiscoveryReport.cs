using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// The client-facing discovery files on the server name's host: <c>/.well-known/matrix/client</c> (with a check that
/// its <c>m.homeserver.base_url</c> answers <c>/_matrix/client/versions</c>) and <c>/.well-known/matrix/support</c>.
/// They never change the federation verdict.
/// </summary>
public sealed record ClientDiscoveryReport(
    string? HomeserverBaseUrl,
    string? IdentityServerBaseUrl,
    IReadOnlyList<string> ClientVersions,
    IReadOnlyList<SupportContact> SupportContacts,
    string? SupportPage,
    IReadOnlyList<HttpExchange> Requests,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The unstable features <c>/_matrix/client/versions</c> switched on (set to true), capped like the versions.</summary>
    public IReadOnlyList<string> UnstableFeatures { get; init; } = [];

    public string Describe() => HomeserverBaseUrl is { } url
        ? $"Clients are sent to {url}{(ClientVersions.Count > 0 ? $" (spec versions up to {ClientVersions[^1]})" : "")}"
        : "No usable /.well-known/matrix/client";
}
