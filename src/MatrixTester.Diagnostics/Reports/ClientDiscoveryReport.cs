using System.Text.Json.Serialization;
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
    /// <summary>
    /// The unstable features <c>/_matrix/client/versions</c> turns on (those set to true); null when the versions were
    /// not read, or in reports from before they were kept.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? UnstableFeatures { get; init; }

    public string Describe() => Describe(english: true);

    /// <summary>The result in the reader's language (the live view).</summary>
    public string Words() => Describe(english: false);

    private string Describe(bool english) => EngineText.In(english,
        HomeserverBaseUrl is null ? "event.client.none" : ClientVersions.Count > 0 ? "event.client.sent_versions" : "event.client.sent",
        ("url", HomeserverBaseUrl), ("version", ClientVersions.Count > 0 ? ClientVersions[^1] : ""));
}
