using System.Text.Json;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.History;
using static MatrixTester.Web.Tests.History.ReportShape;

namespace MatrixTester.Web.Tests.History;

public sealed class ReportDiffTests
{
    private static readonly ReportShape Healthy = new();

    /// <summary>Each row: what changed between a healthy report and the next one, and the exact lines a reader gets.</summary>
    public static TheoryData<string, ReportShape, ReportShape, string[]> Cases => new()
    {
        { "nothing", Healthy, Healthy, [] },
        { "only a finding's wording", Healthy with { Findings = [Finding("tls.expiring", Severity.Warning, "192.0.2.10:443", "expires in 13 days")] },
            Healthy with { Findings = [Finding("tls.expiring", Severity.Warning, "192.0.2.10:443", "expires in 12 days")] }, [] },
        { "verdict breaks with a new error", Healthy,
            Healthy with { Verdict = VerdictStatus.Broken, Findings = [Finding("tls.expired", Severity.Error, "192.0.2.10:443", "The certificate expired")] },
            ["Verdict changed from works to broken: Broken summary.",
             "New error at 192.0.2.10:443: The certificate expired (tls.expired)"] },
        { "recovery", Healthy with { Verdict = VerdictStatus.Broken, Findings = [Finding("tls.expired", Severity.Error, "192.0.2.10:443", "The certificate expired")] },
            Healthy,
            ["Verdict changed from broken to works: Federation works.",
             "Gone: error at 192.0.2.10:443: The certificate expired (tls.expired)"] },
        { "same finding on another address", Healthy with { Verdict = VerdictStatus.WorksWithWarnings, Findings = [Finding("keys.expired", Severity.Warning, "192.0.2.10:443")] },
            Healthy with { Verdict = VerdictStatus.WorksWithWarnings, Findings = [Finding("keys.expired", Severity.Warning, "192.0.2.11:443")] },
            ["Gone: warning at 192.0.2.10:443: seen (keys.expired)",
             "New warning at 192.0.2.11:443: seen (keys.expired)"] },
        { "certificate renewed by the same issuer", Healthy,
            Healthy with { Certificate = new("BB22", "R11", Expiry.AddDays(90)) },
            ["The certificate at 192.0.2.10:443 changed: same issuer (R11), expiry 2027-03-01 → 2027-05-30, SHA-256 BB220123456789AB…."] },
        { "certificate from another CA", Healthy,
            Healthy with { Certificate = new("CC33", "ZeroSSL ECC", Expiry) },
            ["The certificate at 192.0.2.10:443 changed: issuer R11 → ZeroSSL ECC, same expiry (2027-03-01), SHA-256 CC330123456789AB…."] },
        { "keys rotated", Healthy, Healthy with { KeyIds = ["ed25519:new"] },
            ["Signing keys rotated: ed25519:new added, ed25519:a_Xy9Q removed."] },
        { "key added", Healthy, Healthy with { KeyIds = ["ed25519:a_Xy9Q", "ed25519:b"] },
            ["New signing key: ed25519:b."] },
        { "key fetch failed is not a rotation", Healthy, Healthy with { KeyIds = [] }, [] },
        { "address added and removed", Healthy with { Addresses = ["192.0.2.10", "2001:db8::1"] },
            Healthy with { Addresses = ["192.0.2.20", "2001:db8::1"] },
            ["Addresses changed: 192.0.2.20:443 added; 192.0.2.10:443 removed."] },
        { "address removed", Healthy with { Addresses = ["192.0.2.10", "192.0.2.11"] }, Healthy,
            ["Address no longer used: 192.0.2.11:443."] },
        { "well-known delegation moved to another port", Healthy, Healthy with { MServer = "matrix.example.org:8448", Port = 8448 },
            ["The .well-known delegation changed from matrix.example.org:443 to matrix.example.org:8448.",
             "Other servers now connect to matrix.example.org:8448 (step 3.2) instead of matrix.example.org:443 (step 3.2).",
             "Addresses changed: 192.0.2.10:8448 added; 192.0.2.10:443 removed."] },
        { "well-known removed", Healthy, Healthy with { MServer = null },
            ["The .well-known delegation changed from matrix.example.org:443 to no delegation (404).",
             "Other servers now connect to example.org (step 6) instead of matrix.example.org:443 (step 3.2)."] },
        { "SRV target changed", Healthy with { Srv = [("a.example.org", 8448)] }, Healthy with { Srv = [("b.example.org", 8448)] },
            ["The SRV records changed from a.example.org:8448 to b.example.org:8448."] },
        { "a new warning", Healthy, Healthy with { Verdict = VerdictStatus.WorksWithWarnings, Findings = [Finding("keys.expired", Severity.Warning, "192.0.2.10:443")] },
            ["Verdict changed from works to works with warnings: Federation works, with 1 warning.",
             "New warning at 192.0.2.10:443: seen (keys.expired)"] },
        { "a client problem changes the clients verdict, not federation", Healthy with { Client = true },
            Healthy with { Client = true, Findings = [Finding("client.base_url_unreachable", Severity.Error, "example.org", "The client API does not answer")] },
            ["Clients: changed from works to broken.",
             "New error at example.org: The client API does not answer (client.base_url_unreachable)"] },
        { "a run stopped by the time limit is incomplete, not broken", Healthy,
            Healthy with { Verdict = VerdictStatus.Broken, TimedOut = true, Findings = [Finding("diagnosis.timed_out", Severity.Error, "example.org", "The diagnosis stopped after 30 s")] },
            ["Verdict changed from works to incomplete: The test stopped at its time limit (1 s) while waiting for the client files of example.org.",
             "New error at example.org: The diagnosis stopped after 30 s (diagnosis.timed_out)"] },
        { "SRV removed", Healthy with { Srv = [("a.example.org", 8448)] }, Healthy with { Srv = [] },
            ["The SRV records changed from a.example.org:8448 to none."] },
        { "calls break: their own verdict changes, federation's does not", Healthy with { Calls = MatrixRtcStatus.Ready, Login = AuthStatus.Oidc },
            Healthy with { Calls = MatrixRtcStatus.Broken, Login = AuthStatus.Oidc, Findings = [Finding("rtc.service_cors", Severity.Error, "rtc.example.org", "CORS blocks browsers")] },
            ["Calls: changed from ready to broken.",
             "New error at rtc.example.org: CORS blocks browsers (rtc.service_cors)"] },
        { "login moves from OIDC to classic", Healthy with { Calls = MatrixRtcStatus.NotOffered, Login = AuthStatus.Oidc },
            Healthy with { Calls = MatrixRtcStatus.NotOffered, Login = AuthStatus.Legacy },
            ["Login: changed from OIDC to classic."] },
        { "a report from before the calls and login checks is no change", Healthy,
            Healthy with { Calls = MatrixRtcStatus.Partial, Login = AuthStatus.Legacy }, [] },
        { "calls not checked this time (no client API, out of time) is no change", Healthy with { Calls = MatrixRtcStatus.Ready, Login = AuthStatus.Oidc },
            Healthy, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Describes_each_change_in_one_line(string situation, ReportShape before, ReportShape after, string[] expected)
    {
        var changes = ReportDiff.Compare(before.Build(), after.Build());
        Assert.True(expected.SequenceEqual(changes.Select(c => c.Description)),
            $"{situation}:\n  expected: {string.Join("\n            ", expected)}\n  actual:   {string.Join("\n            ", changes.Select(c => c.Description))}");
    }

    [Fact]
    public void Reports_read_back_from_stored_json_compare_like_the_originals()
    {
        var before = Healthy.Build();
        var after = (Healthy with { Verdict = VerdictStatus.Broken, Certificate = new("DD44", "R10", Expiry), Findings = [Finding("tls.expired", Severity.Error, "192.0.2.10:443")] }).Build();
        var readBefore = ReportJson.Read(JsonSerializer.Serialize(before, ReportJson.Options))!;
        var readAfter = ReportJson.Read(JsonSerializer.Serialize(after, ReportJson.Options))!;
        Assert.Equal(ReportDiff.Compare(before, after).Select(c => c.Description), ReportDiff.Compare(readBefore, readAfter).Select(c => c.Description));
        var changes = ReportDiff.Compare(readBefore, readAfter);
        var verdict = Assert.IsType<VerdictChange>(changes[0]);
        Assert.True(verdict.BrokeFederation);
        var certificate = Assert.IsType<CertificateChange>(changes[1]);
        Assert.True(certificate.IssuerChanged);
        Assert.False(certificate.ExpiryChanged);
        Assert.Equal("tls.expired", Assert.IsType<FindingAdded>(changes[2]).Finding.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,2]")]
    public void Unreadable_json_gives_null(string json) => Assert.Null(ReportJson.Read(json));

    [Fact]
    public void Changes_serialize_with_their_kind_and_description()
    {
        var changes = ReportDiff.Compare(Healthy.Build(), (Healthy with { KeyIds = ["ed25519:new"] }).Build());
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(changes, ReportJson.Options));
        var change = json.RootElement[0];
        Assert.Equal("keys", change.GetProperty("kind").GetString());
        Assert.Equal("ed25519:new", change.GetProperty("added")[0].GetString());
        Assert.Equal("Signing keys rotated: ed25519:new added, ed25519:a_Xy9Q removed.", change.GetProperty("description").GetString());
    }

    [Fact]
    public void A_calls_change_serializes_with_its_kind_and_plain_words()
    {
        var changes = ReportDiff.Compare((Healthy with { Calls = MatrixRtcStatus.Partial }).Build(), (Healthy with { Calls = MatrixRtcStatus.NotOffered }).Build());
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(changes, ReportJson.Options));
        var change = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("calls", change.GetProperty("kind").GetString());
        Assert.Equal("Calls: changed from partly to not offered.", change.GetProperty("description").GetString());
    }
}
