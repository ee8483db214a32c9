using System.Text;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.Keys;

public sealed class ServerKeyCheckerTests
{
    internal static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    internal static readonly LabSigningKey Key = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), "ed25519:lab1");

    internal static ServerKeyResult Check(string body, string expected = "example.org", int status = 200,
        string? contentType = "application/json", string? subject = "192.0.2.1:8448") =>
        ServerKeyChecker.Check(status, contentType, Encoding.UTF8.GetBytes(body), expected, Now, subject);

    [Fact]
    public void Go_report_sample_A_keys_object_verifies()
    {
        // The reference tester's documented sample A: a real signature made with the tester's canonical JSON rules.
        const string keys = """
            {
              "old_verify_keys": {},
              "server_name": "example.org",
              "signatures": {
                "example.org": {
                  "ed25519:a_Xy9Q": "TfFKD+4TNrZoCZ6Q3eQaGzPWrkd7aV/8DRI7B3c/Qis1sho/DoZg2qB+Nyqm6Vd+2VA01vMpyr8Zfpptt5Y7BQ"
                }
              },
              "valid_until_ts": 1749384000000,
              "verify_keys": {
                "ed25519:a_Xy9Q": {
                  "key": "jUIY7YTTHkeI4Hi9dFIWknXkBDdudO9OMPpGstPEiGE"
                }
              }
            }
            """;
        var sampleNow = new DateTimeOffset(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);
        var result = ServerKeyChecker.Check(200, "application/json", Encoding.UTF8.GetBytes(keys), "example.org", sampleNow, "192.0.2.10:443");

        Assert.Empty(result.Findings);
        Assert.True(result.AllChecksOK);
        Assert.True(result.MatchingServerName);
        Assert.True(result.FutureValidUntilTS);
        Assert.True(result.HasEd25519Key);
        Assert.True(result.AllEd25519ChecksOK);
        Assert.Equal(new Ed25519Check(true, true), Assert.Single(result.Ed25519Checks, c => c.Key == "ed25519:a_Xy9Q").Value);
        Assert.Equal("jUIY7YTTHkeI4Hi9dFIWknXkBDdudO9OMPpGstPEiGE", result.Ed25519VerifyKeys!["ed25519:a_Xy9Q"]);
        Assert.Equal(new DateTimeOffset(2025, 6, 8, 12, 0, 0, TimeSpan.Zero), result.ValidUntil);
        Assert.Equal(keys, result.RawBody);

        // One changed character in the signed content breaks it.
        var tampered = ServerKeyChecker.Check(200, "application/json", Encoding.UTF8.GetBytes(keys.Replace("1749384000000", "1749384000001")), "example.org", sampleNow);
        Assert.False(tampered.AllChecksOK);
        Assert.Equal(new Ed25519Check(true, false), tampered.Ed25519Checks["ed25519:a_Xy9Q"]);
    }

    [Fact]
    public void Spec_key_response_vector_verifies()
    {
        // Our extra vector, signed with the spec seed for "domain".
        var body = """{"old_verify_keys":{},"server_name":"domain","valid_until_ts":1652262000000,"verify_keys":{"ed25519:1":{"key":"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"}},"signatures":{"domain":{"ed25519:1":"FGoX7oBz36Xr5gZoCR7HSq2FtzDErzcUj0qWuPVA6XtQjT7TFP6ASqj4RJawsHF5EaV2tLUd6bBZ+yn4qYEIDw"}}}""";
        var result = ServerKeyChecker.Check(200, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body), "domain",
            new DateTimeOffset(2022, 5, 10, 0, 0, 0, TimeSpan.Zero));
        Assert.True(result.AllChecksOK);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Lab_key_response_passes_every_check()
    {
        var result = Check(Key.KeyResponse("example.org", Now.AddDays(1)));

        Assert.Empty(result.Findings);
        Assert.True(result.IsKeyResponse);
        Assert.True(result.AllChecksOK);
        Assert.True(result.HasValidSelfSignature);
        Assert.Equal("example.org", result.ServerName);
        Assert.Equal(Now.AddDays(1), result.EffectiveValidUntil);
        var key = Assert.Single(result.VerifyKeys).Value;
        Assert.Equal(new VerifyKey("ed25519:lab1", "ed25519", Key.PublicKeyBase64, true, 32, false, true, new Ed25519Check(true, true)), key);
        Assert.Equal(["ed25519:lab1"], result.Signatures["example.org"]);
        Assert.Equal(Key.PublicKeyBase64, Assert.Single(result.Ed25519VerifyKeys!).Value);
    }

    [Fact]
    public void Unsigned_member_and_additional_signers_do_not_break_verification()
    {
        var second = LabSigningKey.Create("ed25519:lab2");
        var result = Check(Key.KeyResponse("example.org", Now.AddDays(1),
            new KeyResponseOptions { IncludeUnsigned = true, AdditionalSigners = [second] }));

        Assert.Empty(result.Findings);
        Assert.True(result.AllChecksOK);
        Assert.Equal(2, result.Ed25519Checks.Count);
        Assert.All(result.Ed25519Checks.Values, c => Assert.True(c.MatchingSignature));
    }

    [Fact]
    public void Unsigned_extra_key_fails_the_go_check_but_keeps_a_valid_self_signature()
    {
        var result = Check(Key.KeyResponse("example.org", Now.AddDays(1), new KeyResponseOptions { ExtraUnsignedKeyId = "ed25519:extra" }));

        Assert.False(result.AllChecksOK);
        Assert.False(result.AllEd25519ChecksOK);
        Assert.True(result.HasValidSelfSignature);
        Assert.Null(result.Ed25519VerifyKeys);
        Assert.Equal(new Ed25519Check(true, false), result.Ed25519Checks["ed25519:extra"]);
        Assert.Equal(["keys.signature_missing"], result.Findings.Select(f => f.Id));
    }

    [Fact]
    public void Padded_base64_still_verifies_but_warns()
    {
        var result = Check(Key.KeyResponse("example.org", Now.AddDays(1), new KeyResponseOptions { PadBase64 = true }));

        Assert.True(result.AllChecksOK);
        Assert.True(result.VerifyKeys["ed25519:lab1"].KeyPadded);
        Assert.Equal(2, result.Findings.Count(f => f.Id == "keys.padded_base64")); // the key and the signature
        Assert.All(result.Findings, f => Assert.Equal(Findings.Severity.Warning, f.Severity));
    }

    [Theory]
    [InlineData("matrix.example.org", "example.org", "delegated to")]
    [InlineData("example.org", "matrix.example.org", "delegated host instead of your server name")]
    [InlineData("Example.org", "example.org", "letter case")]
    [InlineData("example.org:8448", "example.org", "port")]
    public void Server_name_mismatch_explains_the_likely_cause(string reported, string expected, string hint)
    {
        var result = Check(Key.KeyResponse(reported, Now.AddDays(1)), expected);

        Assert.False(result.MatchingServerName);
        Assert.False(result.AllChecksOK);
        Assert.True(result.AllEd25519ChecksOK); // signed correctly for the name it claims, as Go reports it
        var finding = Assert.Single(result.Findings);
        Assert.Equal("keys.server_name_mismatch", finding.Id);
        Assert.Contains(hint, finding.Detail);
        Assert.Equal("192.0.2.1:8448", finding.Subject);
    }

    [Fact]
    public void Non_200_stops_before_the_body_is_judged()
    {
        var result = Check("<html>not found</html>", status: 404, contentType: "text/html");

        Assert.False(result.IsKeyResponse);
        Assert.Equal(["keys.http_status"], result.Findings.Select(f => f.Id));
        Assert.Contains("404", result.Findings[0].Summary);
        Assert.Equal("<html>not found</html>", result.RawBody);
        Assert.Null(result.AllEd25519ChecksOK);
    }

    [Fact]
    public void Effective_validity_is_capped_at_seven_days()
    {
        var result = Check(Key.KeyResponse("example.org", Now.AddDays(30)));

        Assert.True(result.AllChecksOK);
        Assert.Equal(Now.AddDays(7), result.EffectiveValidUntil);
        Assert.Equal(Now.AddDays(30), result.ValidUntil);
        Assert.Equal(Findings.Severity.Info, Assert.Single(result.Findings).Severity);
    }

    [Theory]
    [InlineData(9007199254740991, "keys.valid_until_capped", true)]
    [InlineData(-9007199254740991, "keys.valid_until_past", false)]
    [InlineData(0, "keys.valid_until_past", false)]
    public void Extreme_timestamps_are_judged_without_crashing(long validUntilTs, string expectedId, bool future)
    {
        var body = Key.SignJson(
            "{\"server_name\":\"example.org\",\"valid_until_ts\":" + validUntilTs
            + ",\"verify_keys\":{\"" + Key.KeyId + "\":{\"key\":\"" + Key.PublicKeyBase64 + "\"}}"
            + ",\"old_verify_keys\":{\"ed25519:o\":{\"key\":\"AAAA\",\"expired_ts\":" + validUntilTs + "}}}",
            "example.org");
        var result = Check(body);

        Assert.Equal(future, result.FutureValidUntilTS);
        Assert.Equal(validUntilTs, result.ValidUntilTs);
        Assert.NotNull(result.ValidUntil);
        Assert.NotNull(result.OldVerifyKeys["ed25519:o"].Expired);
        Assert.Contains(result.Findings, f => f.Id == expectedId);
    }
}
