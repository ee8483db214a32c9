using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Reading.Words;

/// <summary>Engine outcomes in plain words, in the reader's language: what a person reads instead of an enum name.</summary>
public static class OutcomeWords
{
    /// <summary>Why a .well-known/matrix/server answer is not a delegation, as a few words (the engine's own words, so findings and pages agree).</summary>
    public static string WellKnown(WellKnownOutcome outcome) => outcome.Words();

    /// <summary>How a request failed, as a few words.</summary>
    public static string Exchange(ExchangeFailure failure) => failure.Words();

    /// <summary>How a DNS query ended, as a few words (the rcode's name in brackets where admins know it by it).</summary>
    public static string Dns(DnsOutcome outcome) => EngineText.Get(outcome switch
    {
        DnsOutcome.NoError or DnsOutcome.NxDomain or DnsOutcome.ServFail or DnsOutcome.Refused or DnsOutcome.Timeout
            or DnsOutcome.NetworkError or DnsOutcome.MalformedResponse or DnsOutcome.CnameLoop or DnsOutcome.NoNameServers => $"outcome.dns.{outcome}",
        _ => "outcome.dns.Other",
    });

    /// <summary>One step a test cut short had not finished, as a phrase ("server discovery for example.org").</summary>
    public static string Pending(PendingStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return EngineText.Format(step.Kind switch
        {
            PendingKind.Discovery => "outcome.pending.discovery",
            PendingKind.Address => "outcome.pending.address",
            _ => "outcome.pending.client_files",
        }, ("subject", step.Subject));
    }

    /// <summary>The open steps as one phrase ("a, b and c"); several addresses are named once, together.</summary>
    public static string Pending(IReadOnlyList<PendingStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var addresses = steps.Where(s => s.Kind == PendingKind.Address).Select(s => s.Subject).ToList();
        var phrases = new List<string>();
        phrases.AddRange(steps.Where(s => s.Kind == PendingKind.Discovery).Select(Pending));
        if (addresses.Count > 0)
        {
            phrases.Add(addresses.Count == 1
                ? EngineText.Format("outcome.pending.address", ("subject", addresses[0]))
                : EngineText.Format("outcome.pending.addresses", ("count", addresses.Count),
                    ("list", $"{string.Join(", ", addresses.Take(4))}{(addresses.Count > 4 ? ", …" : "")}")));
        }
        phrases.AddRange(steps.Where(s => s.Kind == PendingKind.ClientFiles).Select(Pending));
        return phrases.Count switch
        {
            0 => EngineText.Get("outcome.pending.last_steps"),
            1 => phrases[0],
            _ => EngineText.Format("words.list_and", ("list", string.Join(", ", phrases.Take(phrases.Count - 1))), ("last", phrases[^1])),
        };
    }
}
