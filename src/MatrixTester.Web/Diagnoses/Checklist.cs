using System.Text.Json;
using MatrixTester.Diagnostics.Findings;
using static MatrixTester.Web.Diagnoses.ReportView;

namespace MatrixTester.Web.Diagnoses;

public enum CheckState
{
    Passed,
    Note,
    NotTested,
    Warning,
    Failed,
}

/// <summary>One checklist line: what was checked, how it went (symbol and word), a few words, and where to read more.</summary>
public sealed record CheckLine(string Name, CheckState State, string Text, string DetailsHref, string DocsHref)
{
    public string Symbol => State switch
    {
        CheckState.Passed => "✓",
        CheckState.Warning => "!",
        CheckState.Failed => "✗",
        CheckState.Note => "i",
        _ => "–",
    };

    public string StateText => State switch
    {
        CheckState.Passed => "Passed",
        CheckState.Warning => "Warning",
        CheckState.Failed => "Failed",
        CheckState.Note => "Note",
        _ => "Not tested",
    };

    public string CssClass => $"check-{State.ToString().ToLowerInvariant()}";
}

/// <summary>One address: its four federation checks side by side.</summary>
public sealed record AddressChecks(string Key, string DetailsHref, IReadOnlyList<CheckLine> Checks);

/// <summary>
/// The result at a glance, in the manner of internet.nl: one line per check, judged by the stored report's findings
/// (the worst finding of a check decides its state), so a permalink shows the same list as the live page did.
/// </summary>
public sealed record Checklist(IReadOnlyList<CheckLine> Discovery, IReadOnlyList<AddressChecks> Addresses, IReadOnlyList<CheckLine> ClientFiles)
{
    public static Checklist From(ReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var all = report.Findings;
        var discovery = new List<CheckLine>
        {
            Line("Server name", all, ["server_name."], report.ServerName is null ? null : $"{report.ServerName} is a valid server name",
                "#detail-discovery", "/docs/server-names"),
        };
        if (report.Discovery is { } d)
        {
            discovery.Add(Line("Delegation (.well-known)", all, ["wellknown."], Delegation(d), "#detail-discovery", "/docs/delegation"));
            var endpoints = Array(d, "endpoints").Count;
            discovery.Add(Line("DNS (SRV and addresses)", all, ["dns.", "srv.", "discovery."],
                endpoints == 0 ? "no address to connect to" : $"{endpoints} address{(endpoints == 1 ? "" : "es")} for {Str(d, "resolvedHost") ?? report.DisplayName}",
                "#detail-discovery", "/docs/dns"));
        }
        else
        {
            discovery.Add(new CheckLine("Delegation and DNS", CheckState.NotTested, "not reached", "#detail-discovery", "/docs/delegation"));
        }
        if (report.TimedOut)
        {
            discovery.Add(new CheckLine("Time limit", CheckState.Failed, "stopped at the time limit: the result is partial", "#timeline", "/docs/troubleshooting"));
        }

        var addresses = report.Connections.Select((c, i) => Address(c, i)).ToList();
        // Addresses discovery found but the time limit left unchecked still get their line.
        var checkedKeys = addresses.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        addresses.AddRange((report.Discovery is { } disc ? Array(disc, "endpoints") : []).Select(e => Str(e, "key") ?? "?").Where(k => !checkedKeys.Contains(k))
            .Select(k => new AddressChecks(k, "#timeline",
                [.. new[] { ("Connection and TLS", "/docs/federation-tls"), ("Certificate", "/docs/tls-certificates"), ("Version", "/docs/version"), ("Keys", "/docs/keys") }
                    .Select(c => new CheckLine(c.Item1, CheckState.NotTested, "not checked before the time limit", "#timeline", c.Item2))])));
        var client = new List<CheckLine>();
        if (report.Client is { } cl)
        {
            client.Add(Line("Client discovery (.well-known/matrix/client)", all, ["client."],
                Str(cl, "homeserverBaseUrl") is { } url ? $"clients are sent to {url}" : null, "#detail-client", "/docs/client-discovery"));
            var contacts = Array(cl, "supportContacts").Count;
            client.Add(Line("Support contacts (.well-known/matrix/support, optional)", all, ["support."],
                contacts > 0 || Str(cl, "supportPage") is not null ? $"{contacts} contact{(contacts == 1 ? "" : "s")} published" : null,
                "#detail-client", "/docs/client-discovery#support"));
        }
        return new Checklist(discovery, addresses, client);
    }

    private static AddressChecks Address(ConnectionView c, int index)
    {
        var findings = Array(c.Element, "findings").Select(f => (Id: Str(f, "id") ?? "", Severity: Str(f, "severity") ?? "Info")).ToList();
        var connected = Obj(c.Element, "tls") is not null;
        var href = $"#detail-conn-{index}";
        CheckLine Check(string name, string[] prefixes, string docs, bool tested, string passText)
        {
            var worst = Worst(findings.Where(f => prefixes.Any(p => f.Id.StartsWith(p, StringComparison.Ordinal))).Select(f => f.Severity));
            var state = worst ?? (tested ? CheckState.Passed : CheckState.NotTested);
            var text = state switch { CheckState.Passed => passText, CheckState.NotTested => "not tested: no connection", _ => name + " has a problem" };
            return new CheckLine(name, state, text, href, docs);
        }
        return new AddressChecks(c.Key, href,
        [
            Check("Connection and TLS", ["net.", "tls.handshake", "tls.not_tls", "tls.protocol", "http."], "/docs/federation-tls", connected, c.TlsVersion ?? "connected"),
            Check("Certificate", ["tls.cert."], "/docs/tls-certificates", connected, "trusted, matching name"),
            Check("Version", ["version."], "/docs/version", connected, Obj(c.Element, "version") is { } v && Str(v, "name") is { } n ? n : "answers"),
            Check("Keys", ["keys."], "/docs/keys", connected, "signed and valid"),
        ]);
    }

    private static CheckLine Line(string name, IReadOnlyList<FindingView> all, string[] prefixes, string? passText, string details, string docs)
    {
        var matching = all.Where(f => prefixes.Any(p => f.Id.StartsWith(p, StringComparison.Ordinal))).ToList();
        var state = Worst(matching.Select(f => f.Severity)) ?? (passText is null ? (matching.Count > 0 ? CheckState.Note : CheckState.Failed) : CheckState.Passed);
        var text = matching.FirstOrDefault(f => f.Severity is "Error" or "Warning")?.Summary ?? passText ?? matching.FirstOrDefault()?.Summary ?? "not found";
        return new CheckLine(name, state, text, details, docs);
    }

    private static CheckState? Worst(IEnumerable<string> severities)
    {
        var list = severities.ToList();
        return list.Contains("Error") ? CheckState.Failed : list.Contains("Warning") ? CheckState.Warning : null;
    }

    private static string Delegation(JsonElement discovery)
    {
        var wellKnown = Obj(discovery, "wellKnown");
        var outcome = wellKnown is { } w ? Str(w, "outcome") : null;
        return outcome switch
        {
            "Delegated" => $"delegates to {Str(wellKnown!.Value, "mServer")}",
            "NotFound" => "no delegation (404): peers use SRV or the name itself",
            "NotApplicable" => "not used for this name (IP literal or explicit port)",
            null => "not checked",
            _ => $"unusable ({(Enum.TryParse<Diagnostics.Discovery.WellKnownOutcome>(outcome, out var known) ? Diagnostics.Discovery.WellKnownOutcomes.Describe(known) : outcome)}): peers continue with SRV",
        };
    }
}
