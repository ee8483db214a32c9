using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;
using MatrixTester.Lab.Keys;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>Keys are judged as libsodium and Synapse verify them, and the Go report agrees.</summary>
public sealed class KeyVerdictTests : LabTest
{
    private async Task<(LabServer Server, LabRun Run)> Diagnose(Func<LabServer, string> keyResponse)
    {
        var server = await new LabServer(Lab) { KeyResponse = keyResponse }.StartAsync();
        return (server, await Lab.DiagnoseAsync(server.ServerName));
    }

    private static string Endpoint(LabServer server) => $"{server.HomeserverAddress}:443";

    [Fact]
    public async Task A_key_response_forged_with_the_small_order_identity_key_is_rejected()
    {
        // The identity point as the key, R = identity and S = 0 as the signature: it "verifies" for any message
        // under a verifier without small-order checks. libsodium (PyNaCl, so Synapse) refuses it.
        var identity = new byte[32];
        identity[0] = 1;
        var signature = new byte[64];
        signature[0] = 1;
        var (server, run) = await Diagnose(s => new JsonObject
        {
            ["server_name"] = s.ServerName,
            ["valid_until_ts"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(),
            ["verify_keys"] = new JsonObject { ["ed25519:forged"] = new JsonObject { ["key"] = UnpaddedBase64.Encode(identity) } },
            ["signatures"] = new JsonObject { [s.ServerName] = new JsonObject { ["ed25519:forged"] = UnpaddedBase64.Encode(signature) } },
        }.ToJsonString());

        var go = AssertVerdict(run, VerdictStatus.Broken, goFederationOk: false);
        AssertFinding(run, "keys.signature_invalid", Severity.Error, Endpoint(server));
        AssertFinding(run, "keys.no_valid_signature", Severity.Error, Endpoint(server));
        var checks = Checks(go, Endpoint(server));
        Assert.False(checks.GetProperty("AllChecksOK").GetBoolean());
        Assert.False(checks.GetProperty("Ed25519Checks").GetProperty("ed25519:forged").GetProperty("MatchingSignature").GetBoolean());
    }

    [Fact]
    public async Task A_second_listed_key_with_a_bad_signature_fails_although_the_first_verifies()
    {
        // Synapse may check the bad one first and then rejects the whole response; Go checks every key.
        var second = LabSigningKey.Create("ed25519:b_second");
        var (server, run) = await Diagnose(s =>
        {
            var json = JsonNode.Parse(s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1), new KeyResponseOptions { AdditionalSigners = [second] }))!;
            var sig = json["signatures"]![s.ServerName]!["ed25519:b_second"]!.GetValue<string>();
            json["signatures"]![s.ServerName]!["ed25519:b_second"] = (sig[0] == 'A' ? "B" : "A") + sig[1..];
            return json.ToJsonString();
        });

        var go = AssertVerdict(run, VerdictStatus.Broken, goFederationOk: false);
        var finding = AssertFinding(run, "keys.signature_invalid", Severity.Error, Endpoint(server));
        Assert.Contains("ed25519:b_second", finding.Summary, StringComparison.Ordinal);
        AssertNo(run, "keys.no_valid_signature");
        var checks = Checks(go, Endpoint(server));
        Assert.False(checks.GetProperty("AllChecksOK").GetBoolean());
        Assert.True(checks.GetProperty("Ed25519Checks").GetProperty("ed25519:a_lab").GetProperty("MatchingSignature").GetBoolean());
    }

    [Theory]
    [InlineData("31-byte key", """{"key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","expired_ts":1}""", "31 bytes")]
    [InlineData("no expired_ts", null, "expired_ts")]
    public async Task A_malformed_old_verify_key_makes_Synapse_discard_the_key_response(string situation, string? entry, string mentioned)
    {
        _ = situation;
        var (server, run) = await Diagnose(s =>
        {
            var old = entry ?? $$"""{"key":"{{LabSigningKey.Create().PublicKeyBase64}}"}""";
            var unsigned = JsonNode.Parse(s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1)))!.AsObject();
            unsigned.Remove("signatures");
            unsigned["old_verify_keys"] = new JsonObject { ["ed25519:old"] = JsonNode.Parse(old) };
            return s.Key.SignJson(unsigned.ToJsonString(), s.ServerName);
        });

        AssertVerdict(run, VerdictStatus.Broken, goFederationOk: false);
        var finding = AssertFinding(run, "keys.old_verify_key_malformed", Severity.Error, Endpoint(server));
        Assert.Contains(mentioned, finding.Summary, StringComparison.Ordinal);
        // The response itself is correctly signed: only the old key entry is at fault.
        AssertNo(run, "keys.signature_invalid");
    }

    [Fact]
    public async Task A_listed_key_that_does_not_sign_works_for_Synapse_but_the_Go_report_is_not_OK()
    {
        // Synapse needs one valid signature from a listed key; Go fails a key without one. The Go-compatible
        // report must then say FederationOK false, as its own UI derives the verdict from Checks.
        var (server, run) = await Diagnose(s => s.SignedKeys(DateTimeOffset.UtcNow.AddDays(1), new KeyResponseOptions { ExtraUnsignedKeyId = "ed25519:unsigned" }));

        var go = AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: false);
        AssertFinding(run, "keys.signature_missing", Severity.Warning, Endpoint(server));
        Assert.False(Checks(go, Endpoint(server)).GetProperty("AllChecksOK").GetBoolean());
    }
}
