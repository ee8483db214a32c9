using System.Globalization;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Reading.Words;

/// <summary>The checklist in English: the name of each check, each state, and the few words beside them.</summary>
public static class CheckWords
{
    public const string Connected = "connected";
    public const string CertificatePassed = "trusted, matching name";
    public const string KeysPassed = "signed and valid";
    public const string NoConnection = "not tested: no connection";
    public const string NotFound = "not found";

    public static string Name(CheckItem item) => item switch
    {
        CheckItem.ServerName => "Server name",
        CheckItem.Delegation => "Delegation (.well-known)",
        CheckItem.Dns => "DNS (SRV and addresses)",
        CheckItem.Discovery => "Delegation and DNS",
        CheckItem.TimeLimit => "Time limit",
        CheckItem.Connection => "Connection and TLS",
        CheckItem.Certificate => "Certificate",
        CheckItem.Version => "Version",
        CheckItem.Keys => "Keys",
        CheckItem.ClientDiscovery => "Client discovery (.well-known/matrix/client)",
        CheckItem.Support => "Support contacts (.well-known/matrix/support, optional)",
        CheckItem.Calls => "Calls (MatrixRTC)",
        CheckItem.TokenCheck => "Call token check",
        CheckItem.Login => "Login",
        _ => "Two-way check",
    };

    /// <summary>The state as a word, shown beside its symbol so it never rests on colour.</summary>
    public static string State(CheckState state) => state switch
    {
        CheckState.Passed => "Passed",
        CheckState.Note => "Note",
        CheckState.Warning => "Warning",
        CheckState.Failed => "Failed",
        CheckState.Incomplete => "Not finished",
        _ => "Not tested",
    };

    /// <summary>Symbols that differ in shape, not only in colour.</summary>
    public static string Symbol(CheckState state) => state switch
    {
        CheckState.Passed => "✓",
        CheckState.Warning => "!",
        CheckState.Failed => "✗",
        CheckState.Note => "i",
        CheckState.Incomplete => "…",
        _ => "–",
    };

    public static string ValidName(string serverName) => $"{serverName} is a valid server name";

    public static string Delegation(WellKnownResult wellKnown)
    {
        ArgumentNullException.ThrowIfNull(wellKnown);
        return wellKnown.Outcome switch
        {
            WellKnownOutcome.Delegated => $"delegates to {wellKnown.MServer}",
            WellKnownOutcome.NotFound => "no delegation (404): peers use SRV or the name itself",
            WellKnownOutcome.NotApplicable => "not used for this name (IP literal or explicit port)",
            var outcome => $"not usable ({OutcomeWords.WellKnown(outcome)}): peers continue with SRV",
        };
    }

    public static string Addresses(int count, string host) => count switch
    {
        0 => "no address to connect to",
        1 => $"1 address for {host}",
        _ => string.Create(CultureInfo.InvariantCulture, $"{count} addresses for {host}"),
    };

    public static string NotReached(bool stopped) => stopped ? "not finished: the test stopped first" : "not reached";

    public static string TimeLimit(TimeSpan duration, IReadOnlyList<PendingStep> pending) =>
        string.Create(CultureInfo.InvariantCulture, $"stopped after {duration.TotalSeconds:0} s, waiting for {OutcomeWords.Pending(pending)}: the result is partial");

    public static string AddressNotReached(RunOutcome run) =>
        run is RunOutcome.TimedOut ? "not checked before the time limit" : "not checked";

    /// <summary>The software an address reports (<c>/_matrix/federation/v1/version</c>), or that it answered at all.</summary>
    public static string Software(string? name, string? version) => (name, version) switch
    {
        ({ Length: > 0 }, { Length: > 0 }) => $"{name} {version}",
        ({ Length: > 0 }, _) => name,
        _ => "answers",
    };

    public static string Clients(ClientsState state, string? baseUrl, string? problem) => state switch
    {
        ClientsState.Works => $"clients are sent to {baseUrl}",
        ClientsState.WorksWithWarnings when problem is not null => $"clients are sent to {baseUrl}; {problem}",
        ClientsState.WorksWithWarnings => $"clients are sent to {baseUrl}",
        ClientsState.Broken or ClientsState.Unusable => problem ?? "not usable",
        ClientsState.NotPublished => "none published: users type the server address themselves",
        ClientsState.Incomplete => "not finished: the test stopped first",
        _ => "not reached",
    };

    public static string Support(SupportState state, ClientDiscoveryReport? client, string? problem)
    {
        var contacts = client?.SupportContacts.Count ?? 0;
        return state switch
        {
            SupportState.Published when contacts > 0 => contacts == 1 ? "1 contact published" : string.Create(CultureInfo.InvariantCulture, $"{contacts} contacts published"),
            SupportState.Published => "a support page is published",
            SupportState.NotPublished => "none published (optional)",
            SupportState.Unreadable => problem ?? "could not be read",
            _ => "not asked: the client files were not reached",
        };
    }

    public static string Calls(MatrixRtcStatus state, string? problem) => state switch
    {
        MatrixRtcStatus.Ready => "ready: clients find the call service and it answers",
        MatrixRtcStatus.NotOffered => "not offered: no call service published (optional)",
        _ => problem ?? VerdictWords.Calls(state),
    };

    /// <summary>The token check's own summary, which says what the service did with our test user.</summary>
    public static string TokenCheck(TokenCheckVerdict tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return tokens.Summary;
    }

    public static string Login(LoginVerdict login, string? problem)
    {
        ArgumentNullException.ThrowIfNull(login);
        return login.State switch
        {
            AuthStatus.Oidc => $"OAuth 2.0 / OIDC with {login.Issuer}",
            AuthStatus.Legacy => "the classic login API (password or single sign-on): normal",
            _ => problem ?? VerdictWords.Login(login.State),
        };
    }
}
