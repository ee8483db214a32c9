using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Reading.Words;

/// <summary>Engine outcomes in plain words: what a person reads instead of an enum name.</summary>
public static class OutcomeWords
{
    /// <summary>Why a .well-known/matrix/server answer is not a delegation, as a few words (the engine's own words, so findings and pages agree).</summary>
    public static string WellKnown(WellKnownOutcome outcome) => outcome.Describe();

    /// <summary>How a request failed, as a few words.</summary>
    public static string Exchange(ExchangeFailure failure) => failure.Describe();

    /// <summary>How a DNS query ended, as a few words (the rcode's name in brackets where admins know it by it).</summary>
    public static string Dns(DnsOutcome outcome) => outcome switch
    {
        DnsOutcome.NoError => "answered",
        DnsOutcome.NxDomain => "no such name (NXDOMAIN)",
        DnsOutcome.ServFail => "server failure (SERVFAIL)",
        DnsOutcome.Refused => "refused (REFUSED)",
        DnsOutcome.Timeout => "no answer in time",
        DnsOutcome.NetworkError => "name server not reachable",
        DnsOutcome.MalformedResponse => "an answer that is not valid DNS",
        DnsOutcome.CnameLoop => "a CNAME loop",
        DnsOutcome.NoNameServers => "no name server to ask",
        _ => "an error answer",
    };

    /// <summary>One step a test cut short had not finished, as a phrase ("server discovery for example.org").</summary>
    public static string Pending(PendingStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Kind switch
        {
            PendingKind.Discovery => $"server discovery for {step.Subject} (.well-known, SRV and address lookups)",
            PendingKind.Address => $"the checks of {step.Subject}",
            _ => $"the client files of {step.Subject}",
        };
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
                ? $"the checks of {addresses[0]}"
                : $"the checks of {addresses.Count} addresses ({string.Join(", ", addresses.Take(4))}{(addresses.Count > 4 ? ", …" : "")})");
        }
        phrases.AddRange(steps.Where(s => s.Kind == PendingKind.ClientFiles).Select(Pending));
        return phrases.Count switch
        {
            0 => "the last steps",
            1 => phrases[0],
            _ => $"{string.Join(", ", phrases.Take(phrases.Count - 1))} and {phrases[^1]}",
        };
    }
}
