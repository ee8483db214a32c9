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
            s.Url, s.TlsProblem ?? Answer(s.HealthzStatus, null), SiteText.Format("calls.service.routes", Answer(s.GetTokenStatus, null), Answer(s.LegacyTokenStatus, null), Routes(s.TokenRoutes)),
            $"{Answer(s.PreflightStatus, null)}, {Cors(s.Cors)}{(s.AllowOrigin is { } origin ? $" ({origin})" : "")}", s.Problem is null ? SiteText.Get("calls.service.usable") : SiteText.Get("calls.service.not_usable")))];
    }

    /// <summary>The homeserver features calls use and the userinfo route, each a yes or no with what was seen.</summary>
    public static IReadOnlyList<DetailRow> Prerequisites(RtcPrerequisites prerequisites)
    {
        ArgumentNullException.ThrowIfNull(prerequisites);
        return
        [
            new DetailRow(!prerequisites.DelayedEvents, SiteText.Get("calls.pre.delayed"), SiteText.Get(prerequisites.DelayedEvents ? "calls.pre.on" : "calls.pre.off")),
            new DetailRow(false, SiteText.Get("calls.pre.summary"), SiteText.Get(prerequisites.RoomSummary ? "calls.pre.advertised" : "calls.pre.not_advertised")),
            new DetailRow(false, SiteText.Get("calls.pre.state_after"), SiteText.Get(prerequisites.StateAfter ? "calls.pre.advertised" : "calls.pre.not_advertised")),
            new DetailRow(prerequisites.OpenIdUserinfo == UserinfoOutcome.NotRouted, SiteText.Get("calls.pre.userinfo"),
                prerequisites.UserinfoUrl is { } url
                    ? SiteText.Format("calls.pre.userinfo_answered", Userinfo(prerequisites.OpenIdUserinfo), url, Answer(prerequisites.UserinfoStatus, prerequisites.UserinfoErrcode))
                    : Userinfo(prerequisites.OpenIdUserinfo)),
        ];
    }

    /// <summary>Each authorization service the token check asked: the request, its answer, the token, the SFU's answer.</summary>
    public static IReadOnlyList<DetailRow> TokenServices(TokenCheckReport tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return [.. tokens.Services.Select(s => new DetailRow(s.Outcome != "Works",
            $"{s.ServiceUrl.TrimEnd('/')}{s.Endpoint}", s.Status is { } status ? Answer(status, s.Errcode) : s.Error ?? SiteText.Get("calls.no_answer"),
            s.Token is { } token ? SiteText.Format(token.MatchesRequest ? "calls.token.matches" : "calls.token.not_matches", DetailWords.Date(token.ExpiresAt)) : DetailWords.None,
            s.SfuValidation is { } v ? $"{v.Url}: {(v.Status is { } vs ? Answer(vs, null) : v.Error ?? SiteText.Get("calls.no_answer"))}" : s.SfuUrl ?? DetailWords.None,
            TokenOutcome(s.Outcome)))];
    }

    public static IReadOnlyList<DetailRow> LoginChecks(AuthReport auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        return [.. auth.Checks.Select(c => new DetailRow(!c.Passed, Check(c.Kind), c.Url, SiteText.Get(c.Passed ? "login.check.passed" : "login.check.failed"), c.Detail))];
    }

    private static string Answer(int? status, string? errcode) => status is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{s}{(errcode is null ? "" : " " + errcode)}")
        : SiteText.Get("calls.no_answer");

    private static string Source(RtcTransportSource source) => SiteText.Get(source == RtcTransportSource.TransportsEndpoint
        ? "calls.source.endpoint"
        : "calls.source.well_known");

    private static string Outcome(TransportsEndpointOutcome outcome) => SiteText.Get(outcome switch
    {
        TransportsEndpointOutcome.Listed => "calls.endpoint.listed",
        TransportsEndpointOutcome.NeedsToken => "calls.endpoint.needs_token",
        TransportsEndpointOutcome.Off => "calls.endpoint.off",
        _ => "calls.endpoint.failed",
    });

    private static string Routes(TokenRoutes routes) => SiteText.Get(routes switch
    {
        TokenRoutes.Present => "calls.routes.present",
        TokenRoutes.LegacyOnly => "calls.routes.legacy_only",
        TokenRoutes.Missing => "calls.routes.missing",
        _ => "calls.routes.unchecked",
    });

    private static string Cors(CorsOutcome cors) => SiteText.Get(cors switch
    {
        CorsOutcome.Ok => "calls.cors.ok",
        CorsOutcome.Missing => "calls.cors.missing",
        CorsOutcome.Duplicated => "calls.cors.duplicated",
        CorsOutcome.SingleOrigin => "calls.cors.single_origin",
        _ => "calls.cors.unchecked",
    });

    private static string Userinfo(UserinfoOutcome outcome) => SiteText.Get(outcome switch
    {
        UserinfoOutcome.Routed => "calls.userinfo.routed",
        UserinfoOutcome.NotRouted => "calls.userinfo.not_routed",
        UserinfoOutcome.Unknown => "calls.userinfo.unknown",
        _ => "calls.userinfo.not_asked",
    });

    private static string TokenOutcome(string outcome) => SiteText.Get(outcome switch
    {
        "Works" => "calls.token.outcome.works",
        "Refused" => "calls.token.outcome.refused",
        "Failed" => "calls.token.outcome.failed",
        "InvalidAnswer" => "calls.token.outcome.invalid_answer",
        "SfuNotPublic" => "calls.token.outcome.sfu_not_public",
        "SfuRefused" => "calls.token.outcome.sfu_refused",
        "SfuUnreachable" => "calls.token.outcome.sfu_unreachable",
        _ => "calls.token.outcome.unreachable",
    });

    private static string Check(AuthCheckKind kind) => SiteText.Get(kind switch
    {
        AuthCheckKind.ServerMetadata => "login.check.metadata",
        AuthCheckKind.IssuerDiscovery => "login.check.discovery",
        AuthCheckKind.IssuerMatch => "login.check.issuer_match",
        AuthCheckKind.KeySet => "login.check.key_set",
        _ => "login.check.cors",
    });
}
