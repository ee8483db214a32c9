using System.Text;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Lab.Keys;
using static MatrixTester.Diagnostics.Tests.Keys.ServerKeyCheckerTests;

namespace MatrixTester.Diagnostics.Tests.Keys;

/// <summary>One scenario per finding: the situation, and the finding it must raise.</summary>
public sealed class KeyFindingScenarioTests
{
    private const string Name = "example.org";

    private static string Signed(string json) => Key.SignJson(json, Name);

    private static string Body(string verifyKeys, string extra = "") => Signed(UnsignedBody(verifyKeys, extra));

    private static string UnsignedBody(string verifyKeys, string extra = "") => ($$$"""{"server_name":"{{{Name}}}","valid_until_ts":{{{Now.AddDays(1).ToUnixTimeMilliseconds()}}},"verify_keys":{{{verifyKeys}}}{{{extra}}}}""");

    private static string OwnKey => $$$"""{"{{{Key.KeyId}}}":{"key":"{{{Key.PublicKeyBase64}}}"}}""";

    private static ServerKeyResult Run(Func<ServerKeyResult> scenario) => scenario();

    // scenario label → (how to produce the result, the finding id it must contain)
    private static readonly Dictionary<string, (Func<ServerKeyResult> Run, string Id)> Scenarios = new()
    {
        ["404"] = (() => Check("{}", status: 404), "keys.http_status"),
        ["text/html"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1)), contentType: "text/html"), "keys.content_type"),
        ["no content type"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1)), contentType: null), "keys.content_type"),
        ["2 MiB body"] = (() => Check("{\"a\":\"" + new string('x', 2 * 1024 * 1024) + "\"}"), "keys.too_large"),
        ["html body"] = (() => Check("<html><body>Welcome to nginx!</body></html>"), "keys.invalid_json"),
        ["invalid UTF-8"] = (() => ServerKeyChecker.Check(200, "application/json", (byte[])[.. "{\"a\":\""u8, 0xfe, .. "\"}"u8], Name, Now), "keys.invalid_utf8"),
        ["lone surrogate"] = (() => Check("{\"a\":\"\\udfff\"}"), "keys.invalid_utf8"),
        ["array body"] = (() => Check("[]"), "keys.not_object"),
        ["string body"] = (() => Check("\"keys\""), "keys.not_object"),
        ["too deep"] = (() => Check("{\"a\":" + new string('[', 70) + new string(']', 70) + "}"), "keys.too_deep"),
        ["duplicate server_name"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1), new KeyResponseOptions { DuplicateServerName = true })), "keys.duplicate_keys"),
        ["float valid_until_ts"] = (() => Check("{\"server_name\":\"example.org\",\"valid_until_ts\":1.7e12}"), "keys.invalid_number"),
        ["huge integer"] = (() => Check("{\"server_name\":\"example.org\",\"valid_until_ts\":99999999999999999999}"), "keys.invalid_number"),
        ["no server_name"] = (() => Check(Signed($$$"""{"valid_until_ts":{{{Now.AddDays(1).ToUnixTimeMilliseconds()}}},"verify_keys":{{{OwnKey}}}}""")), "keys.server_name_missing"),
        ["numeric server_name"] = (() => Check(Signed($$$"""{"server_name":1,"valid_until_ts":{{{Now.AddDays(1).ToUnixTimeMilliseconds()}}},"verify_keys":{{{OwnKey}}}}""")), "keys.server_name_missing"),
        ["other server"] = (() => Check(Key.KeyResponse("other.test", Now.AddDays(1))), "keys.server_name_mismatch"),
        ["no valid_until_ts"] = (() => Check(Signed($$$"""{"server_name":"{{{Name}}}","verify_keys":{{{OwnKey}}}}""")), "keys.valid_until_missing"),
        ["string valid_until_ts"] = (() => Check(Signed($$$"""{"server_name":"{{{Name}}}","valid_until_ts":"tomorrow","verify_keys":{{{OwnKey}}}}""")), "keys.valid_until_missing"),
        ["expired"] = (() => Check(Key.KeyResponse(Name, Now.AddHours(-2))), "keys.valid_until_past"),
        ["expires now"] = (() => Check(Key.KeyResponse(Name, Now)), "keys.valid_until_past"),
        ["30 minutes left"] = (() => Check(Key.KeyResponse(Name, Now.AddMinutes(30))), "keys.valid_until_soon"),
        ["a year ahead"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(365))), "keys.valid_until_capped"),
        ["no verify_keys"] = (() => Check(Signed($$$"""{"server_name":"{{{Name}}}","valid_until_ts":{{{Now.AddDays(1).ToUnixTimeMilliseconds()}}}}""")), "keys.verify_keys_missing"),
        ["only curve25519"] = (() => Check(Body("""{"curve25519:x":{"key":"AAAA"}}""")), "keys.no_ed25519_key"),
        ["curve25519 beside ed25519"] = (() => Check(Body($$$"""{"curve25519:x":{"key":"AAAA"},"{{{Key.KeyId}}}":{"key":"{{{Key.PublicKeyBase64}}}"}}""")), "keys.unknown_algorithm"),
        ["31-byte key"] = (() => Check(Body($$$"""{"ed25519:short":{"key":"{{{UnpaddedBase64.Encode(new byte[31])}}}"}}""")), "keys.key_invalid"),
        ["key not base64"] = (() => Check(Body("""{"ed25519:x":{"key":"not base64!"}}""")), "keys.key_invalid"),
        ["key member missing"] = (() => Check(Body("""{"ed25519:x":{}}""")), "keys.key_invalid"),
        ["bad key id"] = (() => Check(new LabSigningKey(new byte[32], "ed25519:bad-id").KeyResponse(Name, Now.AddDays(1))), "keys.key_id_invalid"),
        ["extra unsigned key"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1), new KeyResponseOptions { ExtraUnsignedKeyId = "ed25519:extra" })), "keys.signature_missing"),
        ["signed as another entity"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1), new KeyResponseOptions { SignAs = "notary.test" })), "keys.signature_missing"),
        ["tampered signature"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1), new KeyResponseOptions { TamperSignature = true })), "keys.signature_invalid"),
        ["short signature"] = (() => Check(UnsignedBody(OwnKey, $$$""","signatures":{"{{{Name}}}":{"{{{Key.KeyId}}}":"AAAA"}}""")), "keys.signature_invalid"),
        ["signature not a string"] = (() => Check(UnsignedBody(OwnKey, $$$""","signatures":{"{{{Name}}}":{"{{{Key.KeyId}}}":5}}""")), "keys.signature_invalid"),
        ["no valid signature"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1), new KeyResponseOptions { TamperSignature = true })), "keys.no_valid_signature"),
        ["padded base64"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1), new KeyResponseOptions { PadBase64 = true })), "keys.padded_base64"),
        ["banned key"] = (() => Check(Body($$$"""{"{{{Key.KeyId}}}":{"key":"{{{Key.PublicKeyBase64}}}"},"ed25519:banned":{"key":"l/O9hxMVKB6Lg+3Hqf0FQQZhVESQcMzbPN1Cz2nM3og"}}""")), "keys.banned_key"),
        ["old key"] = (() => Check(Key.KeyResponse(Name, Now.AddDays(1), new KeyResponseOptions
        {
            OldVerifyKeys = new Dictionary<string, OldKey> { ["ed25519:old"] = LabSigningKey.Create().AsOldKey(Now.AddDays(-100)) },
        })), "keys.old_verify_keys"),
        ["old key without expired_ts"] = (() => Check(Body(OwnKey, ""","old_verify_keys":{"ed25519:old":{"key":"AAAA"}}""")), "keys.old_verify_key_malformed"),
        ["different keys per address"] = (() => Mismatch(), "keys.mismatch_between_addresses"),
    };

    private static ServerKeyResult Mismatch()
    {
        var a = Check(Key.KeyResponse(Name, Now.AddDays(1)), subject: "192.0.2.1:8448");
        var b = Check(LabSigningKey.Create().KeyResponse(Name, Now.AddDays(1)), subject: "192.0.2.2:8448");
        return a with { Findings = ServerKeyComparison.Compare([a, b]) };
    }

    public static TheoryData<string> ScenarioNames => new(Scenarios.Keys);

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Scenario_raises_its_finding_with_actionable_text(string scenario)
    {
        var (run, id) = Scenarios[scenario];
        var findings = Run(run).Findings;
        Assert.Contains(findings, f => f.Id == id);
        var finding = findings.First(f => f.Id == id);
        var definition = FindingCatalog.Find(id);

        Assert.NotNull(definition);
        Assert.Equal(definition.Severity, finding.Severity);
        Assert.StartsWith("keys", finding.Docs);
        Assert.False(string.IsNullOrWhiteSpace(finding.Summary));
        Assert.False(string.IsNullOrWhiteSpace(finding.Detail));
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
    }

    [Fact]
    public void Every_key_finding_has_a_scenario()
    {
        var declared = FindingCatalog.All.Where(d => d.Id.StartsWith("keys.", StringComparison.Ordinal)).Select(d => d.Id).ToHashSet();
        var covered = Scenarios.Values.Select(s => s.Id).ToHashSet();

        Assert.Equal(28, declared.Count);
        Assert.Equal(declared.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Go_check_fields_follow_the_scenario()
    {
        Assert.False(Scenarios["expired"].Run().FutureValidUntilTS);
        Assert.False(Scenarios["31-byte key"].Run().Ed25519Checks["ed25519:short"].ValidEd25519);
        Assert.False(Scenarios["only curve25519"].Run().HasEd25519Key);
        Assert.Null(Scenarios["only curve25519"].Run().AllEd25519ChecksOK);
        Assert.True(Scenarios["text/html"].Run().AllChecksOK); // Synapse refuses it; the Go tester does not look
        Assert.False(Scenarios["duplicate server_name"].Run().IsKeyResponse);
    }

    [Fact]
    public void Addresses_serving_the_same_keys_raise_nothing()
    {
        var body = Key.KeyResponse(Name, Now.AddDays(1));
        var padded = Key.KeyResponse(Name, Now.AddDays(2), new KeyResponseOptions { PadBase64 = true });
        var failed = Check("nope", status: 502, subject: "192.0.2.3:8448");

        Assert.Empty(ServerKeyComparison.Compare([Check(body, subject: "a"), Check(padded, subject: "b"), failed]));
    }

    [Fact]
    public void Mismatch_names_every_address()
    {
        var finding = Assert.Single(Mismatch().Findings);
        Assert.Contains("192.0.2.1:8448", finding.Detail);
        Assert.Contains("192.0.2.2:8448", finding.Detail);
        Assert.Contains(Key.PublicKeyBase64, finding.Detail);
    }

    [Fact]
    public void Raw_body_is_kept_for_display_capped_with_what_was_left_out()
    {
        Assert.Equal("<html>", Check("<html>").RawBody);
        Assert.Equal(new string('x', ReportText.KeyResponse) + $"… ({100_000 - ReportText.KeyResponse} bytes more)", Check(new string('x', 100_000)).RawBody);
    }
}
