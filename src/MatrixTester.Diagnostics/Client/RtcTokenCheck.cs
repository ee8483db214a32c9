using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Client;

/// <summary>The end-to-end token check (an OpenID token of our own probe user exchanged at each authorization service).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RtcTokenCheckStatus>))]
public enum RtcTokenCheckStatus
{
    Works,
    Broken,
    Skipped,
    /// <summary>This tester cannot run it (no Matrix identity of its own, or the command-line tool).</summary>
    NotConfigured,
}

/// <summary>
/// The seam for the end-to-end token check, which runs after the readiness checks when the site has its own Matrix
/// identity: its status, whether the authorization service called our userinfo endpoint back, and the SFU URL it gave.
/// </summary>
public sealed record RtcTokenCheck(RtcTokenCheckStatus Status, bool CallbackSeen, string? SfuUrl)
{
    /// <summary>One line for the page and the CLI.</summary>
    public string Summary { get; init; } = "";

    public static RtcTokenCheck NotConfigured { get; } = new(RtcTokenCheckStatus.NotConfigured, false, null)
    {
        Summary = "The end-to-end token check did not run: it needs the web site with its own Matrix identity",
    };
}
