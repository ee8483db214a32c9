using System.Net;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Orchestration;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>The classification table of docs/two-way.md: what the probe saw → status and finding.</summary>
public sealed class TwoWayClassifierTests
{
    private const string Uri = "/_matrix/federation/v1/query/directory?room_alias=%23matrixtester-1%3Atarget.test";
    private static readonly IPAddress TargetAddress = IPAddress.Parse("192.0.2.10");
    private static readonly InboundKeyRequest DirectFetch = new("192.0.2.10", "IPv4", "tester.test", "tester.test:8448", "Synapse/1.140", "/_matrix/key/v2/server", 40);
    private static readonly NotaryReport NotaryOk = new("https://target.test/_matrix/key/v2/query", "POST", 200, null, "Verified", true, true, "");
    private static readonly NotaryReport NotaryMissing = NotaryOk with { Outcome = "KeyMissing", SignedByUs = false, SignedByTarget = false };
    private static readonly NotaryReport NotaryNone = NotaryOk with { Status = 404, Errcode = "M_UNRECOGNIZED", Outcome = "Unsupported", SignedByUs = false, SignedByTarget = false };
    private static readonly NotaryReport NotaryNotFound = NotaryOk with { Status = 404, Errcode = "M_NOT_FOUND", Outcome = "Failed", SignedByUs = false, SignedByTarget = false };
    private static readonly ControlRequestReport Refused = new("https://target.test/_matrix/federation/v1/query/directory?room_alias=%23matrixtester-2%3Atarget.test", 401, "M_UNAUTHORIZED", "Rejected");
    private static readonly ControlRequestReport Forbidden = Refused with { Status = 403, Errcode = "M_FORBIDDEN" };
    private static readonly ControlRequestReport Swallowed = Refused with { Status = 404, Errcode = "M_NOT_FOUND", Outcome = "Accepted" };
    private static readonly ControlRequestReport Limited = Refused with { Status = 429, Errcode = "M_LIMIT_EXCEEDED", Outcome = "Inconclusive" };
    private static readonly ControlRequestReport Unanswered = Refused with { Status = null, Errcode = null, Outcome = "Inconclusive", TimedOut = true, Error = "No answer within 10 s" };

    private static TwoWayObservation Seen(int? status, string? errcode, string? error, IReadOnlyList<InboundKeyRequest> inbound, NotaryReport? notary, ControlRequestReport? control = null) =>
        new("target.test", "tester.test", new SignedRequestReport("https://target.test" + Uri, status, errcode) { SignedUri = Uri }, error,
            inbound.Count > 0, control, notary, inbound, [TargetAddress]);

    private static TwoWayObservation TimedOut(IReadOnlyList<InboundKeyRequest> inbound)
    {
        var seen = Seen(null, null, null, inbound, notary: null);
        return seen with { Signed = seen.Signed with { TimedOut = true, Error = "No answer within 10 s" } };
    }

    // situation → (what the probe saw, the status, the finding ids)
    private static readonly Dictionary<string, (TwoWayObservation Seen, TwoWayStatus Status, string[] Ids)> Table = new()
    {
        ["404 M_NOT_FOUND after a direct fetch, wrong signature refused"] = (Seen(404, "M_NOT_FOUND", "Room alias not found", [DirectFetch], NotaryOk, Refused), TwoWayStatus.Works, []),
        ["200 after a direct fetch, wrong signature forbidden"] = (Seen(200, null, null, [DirectFetch], NotaryOk, Forbidden), TwoWayStatus.Works, []),
        ["404 M_NOT_FOUND to the wrong signature too: signatures not checked"] = (Seen(404, "M_NOT_FOUND", null, [], NotaryNotFound, Swallowed), TwoWayStatus.Broken, ["twoway.signature_not_checked"]),
        ["accepts anything even after fetching our key"] = (Seen(404, "M_NOT_FOUND", null, [DirectFetch], NotaryOk, Swallowed), TwoWayStatus.Broken, ["twoway.signature_not_checked"]),
        ["control rate limited: unknown"] = (Seen(404, "M_NOT_FOUND", null, [DirectFetch], NotaryOk, Limited), TwoWayStatus.Skipped, []),
        ["control unanswered: unknown"] = (Seen(404, "M_NOT_FOUND", null, [DirectFetch], NotaryOk, Unanswered), TwoWayStatus.Skipped, []),
        ["accepted without a control request: unknown"] = (Seen(404, "M_NOT_FOUND", null, [DirectFetch], NotaryOk), TwoWayStatus.Skipped, []),
        ["401 Missing Authorization"] = (Seen(401, "M_UNAUTHORIZED", "Missing Authorization headers", [], NotaryOk), TwoWayStatus.Broken, ["twoway.auth_header_missing"]),
        ["401 M_MISSING_TOKEN"] = (Seen(401, "M_MISSING_TOKEN", null, [], NotaryMissing), TwoWayStatus.Broken, ["twoway.auth_header_missing"]),
        ["401 after a fetch: altered"] = (Seen(401, "M_UNAUTHORIZED", "Invalid signature", [DirectFetch], NotaryOk), TwoWayStatus.Broken, ["twoway.request_altered"]),
        ["401, no fetch from its addresses, but the notary answer holds our key: altered"] = (Seen(401, "M_UNAUTHORIZED", "Invalid signature", [], NotaryOk), TwoWayStatus.Broken, ["twoway.request_altered"]),
        ["401, no fetch, notary could not fetch"] = (Seen(401, "M_UNAUTHORIZED", "Failed to find any key", [], NotaryMissing), TwoWayStatus.Broken, ["twoway.outbound_blocked"]),
        ["403, no fetch, no notary API"] = (Seen(403, "M_FORBIDDEN", null, [], NotaryNone), TwoWayStatus.Broken, ["twoway.outbound_blocked", "twoway.notary_unsupported"]),
        ["works without a notary API"] = (Seen(404, "M_NOT_FOUND", null, [DirectFetch], NotaryNone, Refused), TwoWayStatus.Works, ["twoway.notary_unsupported"]),
        ["verified without a fetch from its addresses"] = (Seen(404, "M_NOT_FOUND", null, [], NotaryOk, Refused), TwoWayStatus.Works, ["twoway.fetched_via_notary"]),
        ["500 says nothing about signatures"] = (Seen(500, "M_UNKNOWN", null, [], NotaryOk), TwoWayStatus.Skipped, []),
        ["no answer, no fetch: outbound hangs"] = (TimedOut([]), TwoWayStatus.Broken, ["twoway.outbound_blocked"]),
        ["no answer after a fetch"] = (TimedOut([DirectFetch]), TwoWayStatus.Skipped, []),
        ["neither endpoint exists"] = (Seen(404, "M_UNRECOGNIZED", null, [], NotaryNone), TwoWayStatus.Unsupported, ["twoway.notary_unsupported"]),
    };

    public static TheoryData<string> Situations => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Situations))]
    public void Classifies(string situation)
    {
        var (observation, status, ids) = Table[situation];
        var (actual, summary, findings) = TwoWayClassifier.Classify(observation);
        Assert.True(status == actual, $"{situation}: {actual} ({summary})");
        Assert.Equal(ids.Order(), findings.Select(f => f.Id).Order());
        Assert.All(findings, f => Assert.StartsWith("two-way#", f.Docs, StringComparison.Ordinal));
    }

    [Fact]
    public void An_altered_request_quotes_exactly_what_was_signed()
    {
        var (_, _, findings) = TwoWayClassifier.Classify(Seen(401, "M_UNAUTHORIZED", "Invalid signature", [DirectFetch], NotaryOk));
        var finding = Assert.Single(findings);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains($"method GET, uri {Uri}, origin tester.test, destination target.test", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("proxy_pass", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_accepts_a_wrong_signature_is_never_said_to_have_fetched_our_key()
    {
        var (status, summary, findings) = TwoWayClassifier.Classify(Seen(404, "M_NOT_FOUND", null, [], NotaryNotFound, Swallowed));
        Assert.Equal(TwoWayStatus.Broken, status);
        Assert.DoesNotContain("fetched our key", summary, StringComparison.Ordinal);
        var finding = Assert.Single(findings);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("Nothing fetched our key from target.test's addresses", finding.Detail, StringComparison.Ordinal);
        Assert.Equal("two-way#signature-not-checked", finding.Docs);
    }

    [Fact]
    public void Works_says_it_fetched_our_key_only_when_a_fetch_came_from_the_target()
    {
        var (_, direct, _) = TwoWayClassifier.Classify(Seen(404, "M_NOT_FOUND", null, [DirectFetch], NotaryOk, Refused));
        var (_, indirect, _) = TwoWayClassifier.Classify(Seen(404, "M_NOT_FOUND", null, [], NotaryOk, Refused));
        Assert.Equal("target.test fetched our key, accepted our signed request and refused a wrong signature", direct);
        Assert.DoesNotContain("fetched our key", indirect, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocked_outbound_lists_what_to_check()
    {
        var (_, _, findings) = TwoWayClassifier.Classify(Seen(401, "M_UNAUTHORIZED", null, [], NotaryMissing));
        var fix = Assert.Single(findings).Fix;
        foreach (var item in new[] { "resolve", "firewall", "CA bundle", "federation_domain_whitelist" })
        {
            Assert.Contains(item, fix, StringComparison.Ordinal);
        }
    }
}
