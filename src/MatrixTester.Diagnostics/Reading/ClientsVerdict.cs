using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>Can Matrix clients find and use this server: its own verdict, never part of the federation one.</summary>
public enum ClientsState
{
    Works,
    WorksWithWarnings,
    Broken,

    /// <summary>A client well-known is served but has no usable base_url: clients fall back to asking the user.</summary>
    Unusable,

    /// <summary>No client well-known (404, or no web server): allowed; users type the homeserver URL themselves.</summary>
    NotPublished,

    /// <summary>Started, but the time limit came first.</summary>
    Incomplete,

    /// <summary>Never started (the input is not a server name, or the test stopped before).</summary>
    NotChecked,
}

/// <summary>The optional support file (<c>/.well-known/matrix/support</c>).</summary>
public enum SupportState
{
    Published,
    NotPublished,

    /// <summary>It was asked for, but what came back could not be read as a support file.</summary>
    Unreadable,

    /// <summary>Never asked for: the client files were not reached.</summary>
    NotChecked,
}

/// <summary>The clients verdict: the client well-known, its base_url and client API, the support file; its own counts.</summary>
public sealed record ClientsVerdict(ClientsState State, int Errors, int Warnings, SupportState Support)
{
    private const string SupportPath = "/.well-known/matrix/support";

    /// <summary>Findings that say the support file was fetched and its answer was not a usable one.</summary>
    private static readonly HashSet<string> SupportReadFindings =
        [ClientFindings.SupportUnreachable.Id, ClientFindings.SupportInvalid.Id, ResponseTextFindings.Support.Id];

    public Tone Tone => State switch
    {
        ClientsState.Works => Tone.Good,
        ClientsState.WorksWithWarnings or ClientsState.Unusable => Tone.Warning,
        ClientsState.Broken => Tone.Bad,
        _ => Tone.Neutral,
    };

    public static ClientsVerdict Of(DiagnosisReport report, RunOutcome run)
    {
        ArgumentNullException.ThrowIfNull(report);
        var findings = report.Findings.InPart(ReportPart.Clients).ToList();
        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        if (report.Client is not { } client || run == RunOutcome.InvalidInput)
        {
            return new ClientsVerdict(ClientsState.NotChecked, errors, warnings, SupportState.NotChecked);
        }
        var state = findings switch
        {
            _ when findings.Any(f => f.Id == ClientFindings.Timeout.Id) => ClientsState.Incomplete,
            _ when errors > 0 => ClientsState.Broken,
            _ when client.HomeserverBaseUrl is null => warnings > 0 ? ClientsState.Unusable : ClientsState.NotPublished,
            _ when warnings > 0 => ClientsState.WorksWithWarnings,
            _ => ClientsState.Works,
        };
        return new ClientsVerdict(state, errors, warnings, SupportOf(client, findings));
    }

    private static SupportState SupportOf(ClientDiscoveryReport client, List<Finding> findings)
    {
        if (client.SupportContacts.Count > 0 || client.SupportPage is not null)
        {
            return SupportState.Published;
        }
        if (findings.Any(f => f.Id == ClientFindings.SupportNotFound.Id))
        {
            return SupportState.NotPublished;
        }
        var asked = findings.Any(f => SupportReadFindings.Contains(f.Id)) ||
            client.Requests.Any(r => r.Url.EndsWith(SupportPath, StringComparison.Ordinal));
        return asked ? SupportState.Unreadable : SupportState.NotChecked;
    }
}
