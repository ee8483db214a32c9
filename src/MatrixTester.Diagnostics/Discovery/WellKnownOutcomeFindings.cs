using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>
/// The finding each well-known outcome of one address gives (spec, resolving server names, step 3), as a table:
/// the definition, the summary, and the detail (by default the problem the fetch or the parser described).
/// A delegation gives no outcome finding (only a content-type warning, checked by the stage), nor does an address the
/// tester may not connect to (the address policy's own finding says so).
/// </summary>
internal static class WellKnownOutcomeFindings
{
    private sealed record Rule(FindingDefinition Definition, Func<string, WellKnownAttempt, string> Summary, Func<WellKnownAttempt, string>? Detail = null);

    private static readonly Rule NotAJsonObject = new(WellKnownFindings.InvalidJson, (_, a) => $".well-known on {a.Address} is not a JSON object");

    private static readonly Dictionary<WellKnownOutcome, Rule> Rules = new()
    {
        [WellKnownOutcome.NotFound] = new(WellKnownFindings.NotFound,
            (host, _) => $"https://{host}/.well-known/matrix/server returned 404, so there is no delegation",
            _ => "Discovery continues with SRV records and then port 8448 of the server name (spec steps 4 to 6)."),
        [WellKnownOutcome.ConnectionFailed] = new(WellKnownFindings.Unreachable, (_, a) => $"No HTTPS answer from {a.Address}:443 for .well-known"),
        [WellKnownOutcome.CertificateInvalid] = new(WellKnownFindings.CertificateInvalid,
            (host, a) => $"The certificate on {a.Address}:443 is not valid for {host}, so .well-known is ignored"),
        [WellKnownOutcome.Timeout] = new(WellKnownFindings.Timeout, (_, a) => $".well-known on {a.Address} did not answer in time"),
        [WellKnownOutcome.TooLarge] = new(WellKnownFindings.TooLarge,
            (_, a) => $".well-known on {a.Address} is larger than {WellKnownParser.MaxBodyBytes / 1024} KiB"),
        [WellKnownOutcome.HttpError] = new(WellKnownFindings.HttpError, (_, a) => $".well-known on {a.Address} answered {(a.Requests.Count > 0 ? a.Requests[^1].Status : null)}"),
        [WellKnownOutcome.InvalidJson] = NotAJsonObject,
        [WellKnownOutcome.NotAnObject] = NotAJsonObject,
        [WellKnownOutcome.MissingMServer] = new(WellKnownFindings.MissingMServer, (_, a) => $".well-known on {a.Address} has no usable m.server"),
        [WellKnownOutcome.EmptyMServer] = new(WellKnownFindings.EmptyMServer, (_, a) => $".well-known on {a.Address} has an empty m.server"),
        [WellKnownOutcome.InvalidMServer] = new(WellKnownFindings.InvalidMServer,
            (_, a) => $"m.server \"{a.MServer}\" is not a valid server name",
            a => (a.Problem ?? "") + " The spec says to continue with SRV records, and this report does, but Synapse and Dendrite stop here and fail to reach your server."),
        [WellKnownOutcome.NonAsciiMServer] = new(WellKnownFindings.NonAsciiMServer,
            (_, a) => $"m.server \"{a.MServer}\" is not ASCII, so other servers ignore this delegation",
            a => (a.Problem ?? "") + " Synapse cannot use a non-ASCII name and treats the file as invalid: it goes on with SRV records and port 8448 of the server name, as this report does."),
        [WellKnownOutcome.RedirectLoop] = new(WellKnownFindings.RedirectLoop,
            (_, a) => $".well-known on {a.Address} redirects in a loop",
            a => string.Join(" → ", a.Requests.Select(r => r.Url)) + "."),
        [WellKnownOutcome.TooManyRedirects] = new(WellKnownFindings.TooManyRedirects, (_, a) => $".well-known on {a.Address} redirects more than the limit"),
        [WellKnownOutcome.BadRedirect] = new(WellKnownFindings.BadRedirect, (_, a) => $".well-known on {a.Address} redirects somewhere the tester cannot follow"),
    };

    /// <summary>The finding for <paramref name="attempt"/>'s outcome, or null when the outcome gives none.</summary>
    public static Finding? For(string host, WellKnownAttempt attempt) =>
        Rules.TryGetValue(attempt.Outcome, out var rule)
            ? rule.Definition.Create(rule.Summary(host, attempt), rule.Detail?.Invoke(attempt) ?? attempt.Problem ?? "", attempt.Address.ToString())
            : null;
}
