using System.Net;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>
/// Step 3: the well-known from every address of the server name, combined into the answer a homeserver would act
/// on, with split-brain detection, the cache lifetime and findings.
/// </summary>
internal static class WellKnownStage
{
    public static async Task<WellKnownResult> RunAsync(DiagnosisContext context, Task<HostAddresses> addressesTask,
        Func<IReadOnlyList<X509Certificate2>, string, string?> validateCertificate, CancellationToken cancellationToken)
    {
        var host = context.ServerName.Host;
        var addresses = await addressesTask;
        var allowed = new List<IPAddress>();
        var findings = new List<Finding>();
        foreach (var address in addresses.Addresses)
        {
            var decision = context.Policy.Check(address);
            if (decision.Allowed)
            {
                allowed.Add(address);
            }
            else
            {
                // Synapse skips blocked addresses silently (federation_ip_range_blacklist) and goes on with the others,
                // or with SRV when none is left: a warning, not a failure.
                findings.Add(DnsFindings.PrivateAddressSkipped.Create($"{address} ({host}) is not a public address; .well-known was not fetched from it",
                    $"{address} is in a non-public range: {decision.Range}. No request was sent to it; homeservers skip it the same way.", address.ToString()));
            }
        }
        if (allowed.Count == 0)
        {
            return new WellKnownResult(WellKnownOutcome.NoAddress, null, null, WellKnownParser.ErrorTtl, null, [], findings);
        }

        context.Progress($"Fetching https://{host}/.well-known/matrix/server from {string.Join(", ", allowed)}");
        var client = new WellKnownClient(context, validateCertificate);
        var attempts = await Task.WhenAll(allowed.Select(a => client.FetchAsync(host, a, cancellationToken)));
        return Combine(context, attempts, findings);
    }

    internal static WellKnownResult Combine(DiagnosisContext context, IReadOnlyList<WellKnownAttempt> attempts, List<Finding> findings)
    {
        var host = context.ServerName.Host;
        // A peer whose TCP connection fails tries the host's next address. Whatever it gets over a connection (an
        // answer, a TLS error, no answer in time) is its decision; prefer a delegation when addresses disagree.
        var reached = attempts.Where(a => !ConnectFailed(a)).ToList();
        var chosen = reached.FirstOrDefault(a => a.Outcome == WellKnownOutcome.Delegated) ?? reached.FirstOrDefault() ?? attempts[0];

        // Spec step 3: 404, 5xx, TLS errors, timeouts and bad JSON all mean "no delegation, go on at step 4", so
        // addresses only disagree when they send peers to different places (Synapse treats all of these alike).
        if (reached.Select(Decision).Distinct().Count() > 1)
        {
            findings.Add(WellKnownFindings.SplitBrain.Create($"The addresses of {host} send other servers to different places",
                string.Join("; ", reached.Select(a => $"{a.Address}: {Describe(a)}, so {Decision(a)}")) + ".", host));
        }
        else if (reached.Count > 0 && reached.Count < attempts.Count)
        {
            findings.Add(WellKnownConsistencyFindings.PartiallyUnreachable.Create($".well-known could not be fetched from every address of {host}",
                string.Join("; ", attempts.Select(a => $"{a.Address}: {Describe(a)}")) + ".", host));
        }
        else if (reached.Select(a => a.AnswerKey).Distinct().Count() > 1)
        {
            var odd = reached.Where(a => a.AnswerKey != chosen.AnswerKey).ToList();
            findings.Add(WellKnownConsistencyFindings.Inconsistent.Create(
                $"{string.Join(", ", odd.Select(a => a.Address))} answer{(odd.Count == 1 ? "s" : "")} .well-known differently from {chosen.Address}; other servers still reach the same decision ({Decision(chosen)})",
                string.Join("; ", reached.Select(a => $"{a.Address}: {Describe(a)}")) + ". " +
                (odd.Any(a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                    ? "An IPv6 address answering with another certificate or page usually means the web server has no `listen [::]:443` for this site, so another virtual host answers there."
                    : "Another web server or virtual host answers on that address."), host));
        }

        foreach (var attempt in attempts.Where(a => a == chosen || a.Outcome != chosen.Outcome))
        {
            findings.AddRange(Explain(host, attempt));
        }

        var last = chosen.Requests.Count > 0 ? chosen.Requests[^1] : null;
        var success = chosen.Outcome == WellKnownOutcome.Delegated;
        var now = context.Time.GetUtcNow();
        var (ttl, raw, source) = WellKnownParser.CacheTtl(last, success, now);
        if (success)
        {
            findings.Add(WellKnownFindings.CacheTtl.Create(Phrase.Of("wellknown.cache.Summary", ("ttl", WellKnownParser.Humanize(ttl))),
                raw is null && source.StartsWith("no caching headers", StringComparison.Ordinal)
                    ? new Phrase("wellknown.cache.Detail.default")
                    : Phrase.Of("wellknown.cache.Detail", ("source", source)), host));
            if (raw is { } r && (r < WellKnownParser.MinTtl || r > WellKnownParser.MaxTtl))
            {
                findings.Add(WellKnownFindings.CacheClamped.Create($"The caching headers ask for {WellKnownParser.Humanize(r)}; homeservers will use {WellKnownParser.Humanize(ttl)}",
                    $"{source} is outside the 5 minute to 48 hour range homeservers accept, so it is clamped.", host));
            }
        }
        ServerName? delegated = null;
        if (success && !ServerName.TryParse(chosen.MServer, out delegated, out _))
        {
            delegated = null;
        }
        var outcome = delegated is null && success ? WellKnownOutcome.InvalidMServer : chosen.Outcome;
        return new WellKnownResult(outcome, chosen.MServer, delegated, ttl, now + ttl, attempts, findings);
    }

    /// <summary>The TCP connection itself failed: peers try the next address instead of deciding anything here.</summary>
    private static bool ConnectFailed(WellKnownAttempt a) => a.Outcome == WellKnownOutcome.NoAddress ||
        (a.Requests.Count > 0 && a.Requests[^1].Failure is ExchangeFailure.ConnectRefused or ExchangeFailure.ConnectTimeout
            or ExchangeFailure.Unreachable or ExchangeFailure.ConnectFailed or ExchangeFailure.AddressRefused);

    /// <summary>Where an answer sends a peer: the only thing that makes addresses "disagree".</summary>
    private static string Decision(WellKnownAttempt a) => a.Outcome switch
    {
        WellKnownOutcome.Delegated => $"peers are delegated to {a.MServer}",
        WellKnownOutcome.InvalidMServer => "peers fail on the invalid m.server",
        _ => "peers see no delegation and go on with SRV and port 8448",
    };

    private static string Describe(WellKnownAttempt a) => a.Outcome switch
    {
        WellKnownOutcome.Delegated => $"m.server \"{a.MServer}\"",
        WellKnownOutcome.NotFound => "404 (no delegation)",
        _ => a.Problem ?? a.Outcome.Describe(),
    };

    private static IEnumerable<Finding> Explain(string host, WellKnownAttempt attempt)
    {
        var subject = attempt.Address.ToString();
        var hops = attempt.Requests.Where(r => r.Status is >= 300 and < 400).ToList();
        if (hops.Count > 0 && attempt.Outcome is not (WellKnownOutcome.RedirectLoop or WellKnownOutcome.TooManyRedirects or WellKnownOutcome.BadRedirect))
        {
            yield return WellKnownFindings.Redirected.Create($".well-known on {attempt.Address} was redirected {hops.Count} time{(hops.Count == 1 ? "" : "s")}",
                string.Join(" → ", attempt.Requests.Select(r => $"{r.Url} ({r.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? r.Failure.Describe()})")) + ".", subject);
        }
        if (attempt.Requests.Skip(1).FirstOrDefault(r => r.Url.StartsWith("http://", StringComparison.Ordinal)) is { } plain)
        {
            yield return WellKnownFindings.RedirectToHttp.Create($".well-known on {attempt.Address} redirects to plain http:// ({plain.Url})",
                "Synapse and Go-based servers follow the redirect and read the file without TLS, so the tester does too. Anyone on the network path can then change your delegation.", subject);
        }
        var last = attempt.Requests.Count > 0 ? attempt.Requests[^1] : null;
        if (last is not null && HttpFindings.CheckEncoding(last, subject) is { } encoding)
        {
            yield return encoding;
        }
        if (attempt.Outcome == WellKnownOutcome.Delegated && !WellKnownParser.IsJsonContentType(last?.Header("content-type")))
        {
            yield return WellKnownFindings.ContentType.Create($".well-known is served as {last?.Header("content-type") ?? "no Content-Type"}",
                $"{last?.Url} answered with Content-Type: {last?.Header("content-type") ?? "(none)"}; the spec says it should be application/json.", subject);
        }
        if (WellKnownOutcomeFindings.For(host, attempt) is { } outcome)
        {
            yield return outcome;
        }
    }
}
