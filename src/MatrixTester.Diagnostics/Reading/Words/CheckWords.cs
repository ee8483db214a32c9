using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Reading.Words;

/// <summary>
/// The checklist in the reader's language (resources <c>check.*</c>): the name of each check, each state, and the
/// few words beside them.
/// </summary>
public static class CheckWords
{
    public static string Connected => EngineText.Get("check.connected");

    public static string CertificatePassed => EngineText.Get("check.certificate_passed");

    public static string KeysPassed => EngineText.Get("check.keys_passed");

    public static string NoConnection => EngineText.Get("check.no_connection");

    public static string NotFound => EngineText.Get("check.not_found");

    public static string Name(CheckItem item) => EngineText.Get(item switch
    {
        CheckItem.ServerName or CheckItem.Delegation or CheckItem.Dns or CheckItem.Discovery or CheckItem.TimeLimit
            or CheckItem.Connection or CheckItem.Certificate or CheckItem.Version or CheckItem.Keys
            or CheckItem.ClientDiscovery or CheckItem.Support or CheckItem.Calls or CheckItem.TokenCheck or CheckItem.Login => $"check.name.{item}",
        _ => "check.name.TwoWay",
    });

    /// <summary>The state as a word, shown beside its symbol so it never rests on colour.</summary>
    public static string State(CheckState state) => EngineText.Get(state switch
    {
        CheckState.Passed or CheckState.Note or CheckState.Warning or CheckState.Failed or CheckState.Incomplete => $"check.state.{state}",
        _ => "check.state.NotTested",
    });

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

    public static string ValidName(string serverName) => EngineText.Format("check.valid_name", ("server", serverName));

    public static string Delegation(WellKnownResult wellKnown)
    {
        ArgumentNullException.ThrowIfNull(wellKnown);
        return wellKnown.Outcome switch
        {
            WellKnownOutcome.Delegated => EngineText.Format("check.delegation.delegated", ("server", wellKnown.MServer)),
            WellKnownOutcome.NotFound => EngineText.Get("check.delegation.not_found"),
            WellKnownOutcome.NotApplicable => EngineText.Get("check.delegation.not_applicable"),
            var outcome => EngineText.Format("check.delegation.unusable", ("outcome", OutcomeWords.WellKnown(outcome))),
        };
    }

    public static string Addresses(int count, string host) => count switch
    {
        0 => EngineText.Get("check.addresses.none"),
        1 => EngineText.Format("check.addresses.one", ("host", host)),
        _ => EngineText.Format("check.addresses.other", ("count", count), ("host", host)),
    };

    public static string NotReached(bool stopped) => EngineText.Get(stopped ? "check.not_finished" : "check.not_reached");

    public static string TimeLimit(TimeSpan duration, IReadOnlyList<PendingStep> pending) =>
        EngineText.Format("check.time_limit", ("seconds", Math.Round(duration.TotalSeconds)), ("pending", OutcomeWords.Pending(pending)));

    public static string AddressNotReached(RunOutcome run) =>
        EngineText.Get(run is RunOutcome.TimedOut ? "check.address.not_checked_in_time" : "check.address.not_checked");

    /// <summary>The software an address reports (<c>/_matrix/federation/v1/version</c>), or that it answered at all.</summary>
    public static string Software(string? name, string? version) => (name, version) switch
    {
        ({ Length: > 0 }, { Length: > 0 }) => $"{name} {version}",
        ({ Length: > 0 }, _) => name,
        _ => EngineText.Get("check.software.answers"),
    };

    public static string Clients(ClientsState state, string? baseUrl, string? problem) => state switch
    {
        ClientsState.Works => EngineText.Format("check.clients.sent_to", ("url", baseUrl)),
        ClientsState.WorksWithWarnings when problem is not null => EngineText.Format("check.clients.sent_to_problem", ("url", baseUrl), ("problem", problem)),
        ClientsState.WorksWithWarnings => EngineText.Format("check.clients.sent_to", ("url", baseUrl)),
        ClientsState.Broken or ClientsState.Unusable => problem ?? EngineText.Get("check.clients.not_usable"),
        ClientsState.NotPublished => EngineText.Get("check.clients.not_published"),
        ClientsState.Incomplete => EngineText.Get("check.not_finished"),
        _ => EngineText.Get("check.not_reached"),
    };

    public static string Support(SupportState state, ClientDiscoveryReport? client, string? problem)
    {
        var contacts = client?.SupportContacts.Count ?? 0;
        return state switch
        {
            SupportState.Published when contacts > 0 => contacts == 1
                ? EngineText.Get("check.support.one")
                : EngineText.Format("check.support.other", ("count", contacts)),
            SupportState.Published => EngineText.Get("check.support.page"),
            SupportState.NotPublished => EngineText.Get("check.support.none"),
            SupportState.Unreadable => problem ?? EngineText.Get("check.support.unreadable"),
            _ => EngineText.Get("check.support.not_asked"),
        };
    }

    public static string Calls(MatrixRtcStatus state, string? problem) => state switch
    {
        MatrixRtcStatus.Ready => EngineText.Get("check.calls.ready"),
        MatrixRtcStatus.NotOffered => EngineText.Get("check.calls.not_offered"),
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
            AuthStatus.Oidc => EngineText.Format("check.login.oidc", ("issuer", login.Issuer ?? "")),
            AuthStatus.Legacy => EngineText.Get("check.login.legacy"),
            _ => problem ?? VerdictWords.Login(login.State),
        };
    }
}
