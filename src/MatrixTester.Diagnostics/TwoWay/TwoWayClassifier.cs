using System.Net;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>What the probe observed, in the order it happened.</summary>
/// <param name="FetchedBeforeAnswer">Our probe key was fetched from the target's addresses before the signed request's answer (plus a short grace for a shared store).</param>
/// <param name="ErrorText">The <c>error</c> member of the signed request's Matrix error body, if any.</param>
/// <param name="Control">The request with a wrong signature; null when it was not sent.</param>
/// <param name="Inbound">Fetches of our keys from the target's own addresses (nobody else's: see <see cref="IProbeKey.InboundAsync"/>).</param>
internal sealed record TwoWayObservation(
    string Target,
    string Us,
    SignedRequestReport Signed,
    string? ErrorText,
    bool FetchedBeforeAnswer,
    ControlRequestReport? Control,
    NotaryReport? Notary,
    IReadOnlyList<InboundKeyRequest> Inbound,
    IReadOnlyCollection<IPAddress> TargetAddresses);

/// <summary>
/// Turns an observation into the two-way verdict and its findings, from evidence nobody but the target can produce:
/// its answers to our requests (over TLS, on the address the diagnosis pinned) and fetches from its own addresses.
/// Fetches from anywhere else are never evidence: anyone can fetch our keys. "Works" needs both halves a peer relies
/// on: the signed request accepted and the control request (a wrong signature) refused. A refused signature with no
/// fetch from the target means it never reached us; with one (or with our key in its notary answer) it reached us and
/// still could not verify what it received, so the request was changed on the way.
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
        var (status, summary) = Accepted(o.Signed.Status, o.Signed.Errcode) ? AcceptedOutcome(o, findings) : SignedOutcome(o, findings);
        if (status == TwoWayStatus.Skipped && notaryUnsupported && o.Signed.Status is 404 or 405 && o.Signed.Errcode is not "M_NOT_FOUND")
        {
            (status, summary) = (TwoWayStatus.Unsupported, $"{o.Target} offers neither the directory query nor the notary API");
        }
        return (status, summary, findings);
    }

    /// <summary>The answer a server gives a correctly signed directory query for an alias nobody has (spec: query/directory).</summary>
    public static bool Accepted(int? status, string? errcode) => status is >= 200 and < 300 || (status == 404 && errcode == "M_NOT_FOUND");

    /// <summary>The signed request was accepted: the control request decides whether that means anything.</summary>
    private static (TwoWayStatus, string) AcceptedOutcome(TwoWayObservation o, List<Finding> findings)
    {
        var c = o.Control;
        if (c is { Outcome: "Accepted" })
        {
            findings.Add(TwoWayFindings.SignatureNotChecked.Create($"{o.Target} answered a request with a wrong signature as if it were correct",
                $"{o.Signed.SignedMethod} {o.Signed.Url} (signed correctly) answered {o.Signed.Status}{Errcode(o.Signed.Errcode)}, and {c.Url} (signed over another URI, so its signature cannot verify) answered {c.Status}{Errcode(c.Errcode)} too. A homeserver refuses a request whose signature does not verify; whatever answered did not check either signature, so these answers say nothing about whether {o.Target} can reach other servers.{(o.Inbound.Count == 0 ? $" Nothing fetched our key from {o.Target}'s addresses." : "")}", o.Target));
            return (TwoWayStatus.Broken, $"{o.Target} accepted a request with a wrong signature: it does not check signatures");
        }
        if (c is not { Outcome: "Rejected" })
        {
            var seen = c is null ? "was not sent" : c.Status is { } code ? $"answered {code}{Errcode(c.Errcode)}" : $"got no answer ({c.Error})";
            return (TwoWayStatus.Skipped, $"{o.Target} accepted our signed request, but the control request with a wrong signature {seen}; whether it checks signatures is unknown");
        }
        if (o.Inbound.Count == 0)
        {
            var addresses = o.TargetAddresses.Count == 0 ? "" : $" ({string.Join(", ", o.TargetAddresses)})";
            findings.Add(TwoWayFindings.FetchedViaNotary.Create($"{o.Target} verified our signature, but did not fetch our key from its own addresses",
                $"{o.Target} accepted our signed request and refused one with a wrong signature, so it had our key; no fetch of it came from {o.Target}'s addresses{addresses}. Usually this is a notary in the server's trusted_key_servers fetching for it, or an outbound NAT or proxy. Fetches from other addresses are not listed: anyone can fetch our keys.", o.Target));
            return (TwoWayStatus.Works, $"{o.Target} verified our signed request and refused a wrong signature; our key reached it through another address");
        }
        return (TwoWayStatus.Works, $"{o.Target} fetched our key, accepted our signed request and refused a wrong signature");
    }

    private static (TwoWayStatus, string) SignedOutcome(TwoWayObservation o, List<Finding> findings)
    {
        var s = o.Signed;
        var fetchedAtAll = o.FetchedBeforeAnswer || o.Inbound.Count > 0 || o.Notary?.Outcome is "Verified" or "BadSignature";
        if (s.TimedOut && !fetchedAtAll)
        {
            findings.Add(TwoWayFindings.OutboundBlocked.Create($"{o.Target} did not answer our signed request and never fetched our key",
                $"{s.SignedMethod} {s.Url} got no answer ({s.Error}), although the same address answered the diagnosis's unsigned requests. To verify our signature {o.Target} had to fetch our key from {o.Us} over HTTPS; no such request came from its addresses. A server whose outbound connections hang (a firewall that drops packets instead of refusing them, a resolver that does not answer, an unreachable outbound proxy) behaves exactly like this: every request from another server waits the same way.", o.Target));
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
                $"{answered}. We signed exactly: method {s.SignedMethod}, uri {s.SignedUri}, origin {o.Us}, destination {o.Target}. {(o.FetchedBeforeAnswer ? "Our key was fetched from your server's address while the request was handled" : o.Inbound.Count > 0 ? "Our key was fetched from your server's address" : "Our key was reachable (the notary query fetched it)")}, so the signature failed on what your server received: the method, path, query or destination differed from what we signed.", o.Target));
            return (TwoWayStatus.Broken, "Our key was fetched, but the request your server saw was not the one we signed");
        }
        findings.Add(TwoWayFindings.OutboundBlocked.Create($"{o.Target} rejected our signed request without ever fetching our key",
            $"{answered}. To verify our signature {o.Target} had to fetch our key from {o.Us} over HTTPS; no such request came from its addresses{(o.Notary is { Outcome: "KeyMissing" } ? ", and its notary query could not fetch it either" : "")}. Its outbound federation (DNS, firewall, TLS trust, or federation_domain_whitelist) is blocked, so it can receive but not send.", o.Target));
        return (TwoWayStatus.Broken, $"{o.Target} did not reach us: its outbound federation is blocked");
    }

    private static string Errcode(string? errcode) => errcode is null ? "" : $" {errcode}";
}
