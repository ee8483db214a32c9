using System.Net;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>What the probe observed, in the order it happened.</summary>
/// <param name="FetchedBeforeAnswer">Our probe key was fetched before the signed request's answer (plus a short grace for a shared store).</param>
/// <param name="ErrorText">The <c>error</c> member of the signed request's Matrix error body, if any.</param>
internal sealed record TwoWayObservation(
    string Target,
    string Us,
    SignedRequestReport Signed,
    string? ErrorText,
    bool FetchedBeforeAnswer,
    NotaryReport? Notary,
    IReadOnlyList<InboundKeyRequest> Inbound,
    IReadOnlyCollection<IPAddress> TargetAddresses);

/// <summary>
/// Turns an observation into the two-way verdict and its findings. The ephemeral key is in no cache, so a fetch of it
/// was caused by this probe: a refused signature with no fetch means the target never reached us; with a fetch, it
/// reached us and still could not verify what it received, so the request was changed on the way.
/// </summary>
internal static class TwoWayClassifier
{
    public static (TwoWayStatus Status, string Summary, IReadOnlyList<Finding> Findings) Classify(TwoWayObservation o)
    {
        var findings = new List<Finding>();
        var notaryUnsupported = o.Notary?.Outcome == "Unsupported";
        if (notaryUnsupported)
        {
            findings.Add(TwoWayFindings.NotaryUnsupported.Create($"{o.Target} does not answer the notary key query",
                $"{o.Notary!.Method} {o.Notary.Url} answered {o.Notary.Status}{Errcode(o.Notary.Errcode)}. The check relies on the signed request alone.", o.Target));
        }
        if (ForeignFetch(o) is { } foreign)
        {
            findings.Add(TwoWayFindings.FetchedViaNotary.Create($"Our key was fetched from {foreign.RemoteAddress}, not from an address of {o.Target}",
                $"{o.Target} resolves to {string.Join(", ", o.TargetAddresses)}; the fetch came from {foreign.RemoteAddress} ({foreign.UserAgent ?? "no User-Agent"}). Usually this is a notary in the server's trusted_key_servers fetching for it, or an outbound NAT or proxy.", o.Target));
        }

        var (status, summary) = SignedOutcome(o, findings);
        if (status == TwoWayStatus.Skipped && notaryUnsupported && o.Signed.Status is 404 or 405 && o.Signed.Errcode is not "M_NOT_FOUND")
        {
            (status, summary) = (TwoWayStatus.Unsupported, $"{o.Target} offers neither the directory query nor the notary API");
        }
        return (status, summary, findings);
    }

    private static (TwoWayStatus, string) SignedOutcome(TwoWayObservation o, List<Finding> findings)
    {
        var s = o.Signed;
        if (s.Status is >= 200 and < 300 || (s.Status == 404 && s.Errcode == "M_NOT_FOUND"))
        {
            return (TwoWayStatus.Works, $"{o.Target} fetched our key and accepted our signed request");
        }
        var fetchedAtAll = o.FetchedBeforeAnswer || o.Inbound.Count > 0 || o.Notary?.Outcome is "Verified" or "BadSignature";
        if (s.TimedOut && !fetchedAtAll)
        {
            findings.Add(TwoWayFindings.OutboundBlocked.Create($"{o.Target} did not answer our signed request and never fetched our key",
                $"{s.SignedMethod} {s.Url} got no answer ({s.Error}), although the same address answered the diagnosis's unsigned requests. To verify our signature {o.Target} had to fetch our key from {o.Us} over HTTPS; no such request arrived. A server whose outbound connections hang (a firewall that drops packets instead of refusing them, a resolver that does not answer, an unreachable outbound proxy) behaves exactly like this: every request from another server waits the same way.", o.Target));
            return (TwoWayStatus.Broken, $"{o.Target} did not reach us: it hung on our signed request without ever fetching our key");
        }
        if (s.Status is not (401 or 403))
        {
            var seen = s.Status is { } code ? $"answered {code}{Errcode(s.Errcode)}"
                : s.TimedOut ? $"got no answer after our key was fetched ({s.Error})" : $"could not be asked: {s.Error}";
            return (TwoWayStatus.Skipped, $"The signed request {seen}; the two-way result is unknown");
        }
        var answered = $"{s.SignedMethod} {s.Url} answered {s.Status}{Errcode(s.Errcode)}{(o.ErrorText is null ? "" : $" \"{o.ErrorText}\"")}";
        if (s.Errcode == "M_MISSING_TOKEN" || (o.ErrorText?.Contains("missing authorization", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            findings.Add(TwoWayFindings.AuthHeaderMissing.Create($"{o.Target} answered our signed request as if it had no Authorization header",
                $"{answered}. We sent Authorization: X-Matrix origin=\"{o.Us}\"…; whatever answered did not receive it, so every request from another server fails the same way.", o.Target));
            return (TwoWayStatus.Broken, "Our signed request arrived without its Authorization header");
        }
        if (fetchedAtAll)
        {
            findings.Add(TwoWayFindings.RequestAltered.Create($"{o.Target} fetched our key but rejected our signature",
                $"{answered}. We signed exactly: method {s.SignedMethod}, uri {s.SignedUri}, origin {o.Us}, destination {o.Target}. {(o.FetchedBeforeAnswer ? "Our key was fetched while the request was handled" : "Our key was reachable (the notary query fetched it)")}, so the signature failed on what your server received: the method, path, query or destination differed from what we signed.", o.Target));
            return (TwoWayStatus.Broken, "Our key was fetched, but the request your server saw was not the one we signed");
        }
        findings.Add(TwoWayFindings.OutboundBlocked.Create($"{o.Target} rejected our signed request without ever fetching our key",
            $"{answered}. To verify our signature {o.Target} had to fetch our key from {o.Us} over HTTPS; no such request arrived{(o.Notary is { Outcome: "KeyMissing" } ? ", and its notary query could not fetch it either" : "")}. Its outbound federation (DNS, firewall, TLS trust, or federation_domain_whitelist) is blocked, so it can receive but not send.", o.Target));
        return (TwoWayStatus.Broken, $"{o.Target} did not reach us: its outbound federation is blocked");
    }

    private static InboundKeyRequest? ForeignFetch(TwoWayObservation o) =>
        o.TargetAddresses.Count == 0 ? null : o.Inbound.FirstOrDefault(i =>
            IPAddress.TryParse(i.RemoteAddress, out var a) && !o.TargetAddresses.Any(t => Normalize(t).Equals(Normalize(a))));

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static string Errcode(string? errcode) => errcode is null ? "" : $" {errcode}";
}
