using System.Text.Json;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Web.Permalinks;

namespace MatrixTester.Web.Diagnoses;

public sealed record FindingView(string Id, string Severity, string Summary, string Detail, string Fix, string Docs, string? Subject)
{
    public string DocsUrl => $"/docs/{Docs}";
}

public sealed record VerdictView(string Status, bool FederationOk, bool? IPv4, bool? IPv6, string Summary)
{
    public string Headline => Status switch
    {
        "Works" => "Federation works",
        "WorksWithWarnings" => "Federation works, with warnings",
        _ => "Federation is broken",
    };

    public string CssClass => Status switch
    {
        "Works" => "verdict-ok",
        "WorksWithWarnings" => "verdict-warn",
        _ => "verdict-bad",
    };
}

/// <summary>One address's checks: its key ("ip:port"), whether it passed, and the raw record for the detail tree.</summary>
public sealed record ConnectionView(string Key, bool? Passed, string? TlsVersion, JsonElement Element);

/// <summary>
/// A stored v2 report as the page shows it. It is read from the stored JSON, not from the engine's types, so the
/// permalink renders exactly what was stored, and fields the engine adds later appear in the detail trees unchanged.
/// </summary>
public sealed record ReportView(
    string Id,
    DateTimeOffset CreatedAt,
    string Input,
    string? ServerName,
    double DurationMs,
    bool TimedOut,
    VerdictView Verdict,
    IReadOnlyList<FindingView> Findings,
    JsonElement? Discovery,
    IReadOnlyList<ConnectionView> Connections,
    JsonElement? Client)
{
    public string DisplayName => ServerName ?? Input;

    /// <summary>The two-way check; null in reports from before it existed (or of invalid input).</summary>
    public TwoWayView? TwoWay { get; init; }

    /// <summary>The call token check; null in reports from before it existed (or of invalid input).</summary>
    public TokenCheckView? TokenCheck { get; init; }

    /// <summary>What the engine left out to keep the report under its size ceiling, in plain words; empty for almost every report.</summary>
    public IReadOnlyList<string> Trimmed { get; init; } = [];

    /// <summary>False for a finished result the store could not keep: the page shows why instead of a permalink.</summary>
    public bool Saved { get; init; } = true;

    /// <summary>A finished diagnosis as the page shows it, saved or not.</summary>
    public static ReportView From(FinishedDiagnosis finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        return From(finished.Result) with { Saved = finished.Saved };
    }

    public static ReportView From(StoredResult stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        // Cloned out of the document so the view owns its data after the document is disposed.
        using var document = JsonDocument.Parse(stored.Json);
        var root = document.RootElement.Clone();
        var verdict = root.GetProperty("verdict");
        return new ReportView(
            stored.Id,
            stored.CreatedAt,
            Str(root, "input") ?? "",
            Str(root, "serverName"),
            root.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : 0,
            Bool(root, "timedOut") ?? false,
            new VerdictView(Str(verdict, "status") ?? "Broken", Bool(verdict, "federationOk") ?? false, Bool(verdict, "ipv4"), Bool(verdict, "ipv6"), Str(verdict, "summary") ?? ""),
            Array(root, "findings").Select(f => new FindingView(
                Str(f, "id") ?? "", Str(f, "severity") ?? "Info", Str(f, "summary") ?? "", Str(f, "detail") ?? "",
                Str(f, "fix") ?? "", Str(f, "docs") ?? "", Str(f, "subject"))).ToArray(),
            Obj(root, "discovery"),
            Array(root, "connections").Select(c => new ConnectionView(
                Obj(c, "endpoint") is { } e ? Str(e, "key") ?? "?" : "?",
                Bool(c, "passed"),
                Obj(c, "tls") is { } tls ? Str(tls, "version") : null,
                c)).ToArray(),
            Obj(root, "client"))
        {
            TwoWay = TwoWayView.From(Obj(root, "twoWay")),
            TokenCheck = TokenCheckView.From(Obj(root, "matrixRtc")),
            Trimmed = [.. Array(root, "trimmed").Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)],
        };
    }

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    internal static JsonElement? Obj(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    internal static List<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray()] : [];
}
