using System.Globalization;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Web.ReportViews;

/// <summary>One row of a calls or login table: each cell already in words; <see cref="Failed"/> marks the row.</summary>
public sealed record DetailRow(IReadOnlyList<string> Cells, bool Failed)
{
    public DetailRow(bool failed, params string[] cells) : this(cells, failed)
    {
    }
}

/// <summary>A table of the details: its caption, column headers (also each cell's label on a phone) and rows.</summary>
public sealed record DetailTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<DetailRow> Rows)
{
    /// <summary>A cell that is one URL and nothing else (shown as code that wraps anywhere).</summary>
    public static bool IsUrl(string cell) =>
        !cell.Contains(' ', StringComparison.Ordinal) && Uri.TryCreate(cell, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "wss" or "ws";
}

/// <summary>
/// The calls (MatrixRTC) and login records as the technical details show them: the transports found, what each
/// transports path answered, each authorization service, the homeserver prerequisites, the token check's services
/// and the login checks, in plain words (never the report's enum names).
/// </summary>
public static class CallsTables
{
    public static IReadOnlyList<DetailRow> Transports(MatrixRtcReport calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        return [.. calls.Transports.Select(t => new DetailRow(false, t.Type, t.ServiceUrl ?? DetailWords.None, t.SfuUrl ?? DetailWords.None, Source(t.Source)))];
    }

    public static IReadOnlyList<DetailRow> Endpoints(MatrixRtcReport calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        return [.. calls.TransportsEndpoints.Select(p => new DetailRow(p.Outcome == TransportsEndpointOutcome.Failed,
            p.Url, Answer(p.Status, p.Errcode), Outcome(p.Outcome)))];
    }

    public static IReadOnlyList<DetailRow> Services(MatrixRtcReport calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        return [.. calls.Services.Select(s => new DetailRow(s.Problem is not null,
            s.Url, s.TlsProblem ?? Answer(s.HealthzStatus, null), $"/get_token {Answer(s.GetTokenStatus, null)}, /sfu/get {Answer(s.LegacyTokenStatus, null)}: {Routes(s.TokenRoutes)}",
            $"{Answer(s.PreflightStatus, null)}, {Cors(s.Cors)}{(s.AllowOrigin is { } origin ? $" ({origin})" : "")}", s.Problem is null ? "usable" : "not usable: see the findings"))];
    }

    /// <summary>The homeserver features calls use and the userinfo route, each a yes or no with what was seen.</summary>
    public static IReadOnlyList<DetailRow> Prerequisites(RtcPrerequisites prerequisites)
    {
        ArgumentNullException.ThrowIfNull(prerequisites);
        return
        [
            new DetailRow(!prerequisites.DelayedEvents, "Delayed events (MSC4140)", prerequisites.DelayedEvents ? "switched on" : "not switched on"),
            new DetailRow(false, "Room summary (spec v1.15 or MSC3266)", prerequisites.RoomSummary ? "advertised" : "not advertised (Synapse serves it without saying so)"),
            new DetailRow(false, "state_after in sync (MSC4222)", prerequisites.StateAfter ? "advertised" : "not advertised (Synapse serves it without saying so)"),
            new DetailRow(prerequisites.OpenIdUserinfo == UserinfoOutcome.NotRouted, "OpenID userinfo route (for authorization services)",
                $"{Userinfo(prerequisites.OpenIdUserinfo)}{(prerequisites.UserinfoUrl is { } url ? $": {url} answered {Answer(prerequisites.UserinfoStatus, prerequisites.UserinfoErrcode)}" : "")}"),
        ];
    }

    /// <summary>Each authorization service the token check asked: the request, its answer, the token, the SFU's answer.</summary>
    public static IReadOnlyList<DetailRow> TokenServices(TokenCheckReport tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return [.. tokens.Services.Select(s => new DetailRow(s.Outcome != "Works",
            $"{s.ServiceUrl.TrimEnd('/')}{s.Endpoint}", s.Status is { } status ? Answer(status, s.Errcode) : s.Error ?? "no answer",
            s.Token is { } token ? $"{(token.MatchesRequest ? "for the room and user asked for" : "not for the room and user asked for")}, expires {DetailWords.Date(token.ExpiresAt)}" : DetailWords.None,
            s.SfuValidation is { } v ? $"{v.Url}: {(v.Status is { } vs ? Answer(vs, null) : v.Error ?? "no answer")}" : s.SfuUrl ?? DetailWords.None,
            TokenOutcome(s.Outcome)))];
    }

    public static IReadOnlyList<DetailRow> LoginChecks(AuthReport auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        return [.. auth.Checks.Select(c => new DetailRow(!c.Passed, Check(c.Kind), c.Url, c.Passed ? "passed" : "failed", c.Detail))];
    }

    private static string Answer(int? status, string? errcode) => status is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{s}{(errcode is null ? "" : " " + errcode)}")
        : "no answer";

    private static string Source(RtcTransportSource source) => source == RtcTransportSource.TransportsEndpoint
        ? "the transports endpoint"
        : "the client well-known (older clients)";

    private static string Outcome(TransportsEndpointOutcome outcome) => outcome switch
    {
        TransportsEndpointOutcome.Listed => "lists the transports",
        TransportsEndpointOutcome.NeedsToken => "exists (lists them to signed-in users)",
        TransportsEndpointOutcome.Off => "not enabled",
        _ => "failed",
    };

    private static string Routes(TokenRoutes routes) => routes switch
    {
        TokenRoutes.Present => "present",
        TokenRoutes.LegacyOnly => "only the older route",
        TokenRoutes.Missing => "missing",
        _ => "not checked",
    };

    private static string Cors(CorsOutcome cors) => cors switch
    {
        CorsOutcome.Ok => "browsers may read it",
        CorsOutcome.Missing => "no Access-Control-Allow-Origin",
        CorsOutcome.Duplicated => "Access-Control-Allow-Origin sent twice",
        CorsOutcome.SingleOrigin => "allows one origin only",
        _ => "not checked",
    };

    private static string Userinfo(UserinfoOutcome outcome) => outcome switch
    {
        UserinfoOutcome.Routed => "routed to the homeserver",
        UserinfoOutcome.NotRouted => "not routed to the homeserver",
        UserinfoOutcome.Unknown => "could not be told",
        _ => "not asked",
    };

    private static string TokenOutcome(string outcome) => outcome switch
    {
        "Works" => "works",
        "Refused" => "refused our test user without asking our server",
        "Failed" => "answered with an error",
        "InvalidAnswer" => "no usable call token",
        "SfuNotPublic" => "sends clients to an SFU they cannot reach",
        "SfuRefused" => "the SFU refuses its tokens",
        "SfuUnreachable" => "the SFU could not be reached",
        _ => "could not be reached",
    };

    private static string Check(AuthCheckKind kind) => kind switch
    {
        AuthCheckKind.ServerMetadata => "Login metadata",
        AuthCheckKind.IssuerDiscovery => "The issuer's discovery document",
        AuthCheckKind.IssuerMatch => "The issuer matches",
        AuthCheckKind.KeySet => "Key set",
        _ => "Browser access (CORS)",
    };
}
