using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

public sealed partial class XMatrixSignerTests
{
    // The spec's cryptographic test vector seed (appendices, "Cryptographic Test Vectors").
    private static readonly LabSigningKey SpecKey = LabSigningKey.FromSeedBase64("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1", "ed25519:1");

    [GeneratedRegex("^X-Matrix origin=\"([^\"]+)\",destination=\"([^\"]+)\",key=\"([^\"]+)\",sig=\"([A-Za-z0-9+/]+)\"$")]
    private static partial Regex Header();

    [Fact]
    public void The_header_names_origin_destination_key_and_an_unpadded_signature_of_the_canonical_request()
    {
        var probe = new TestProbeKey(SpecKey, DateTimeOffset.UtcNow);
        const string uri = "/_matrix/federation/v1/query/directory?room_alias=%23matrixtester-abc%3Atarget.test";
        var header = XMatrixSigner.Authorization(probe, "GET", uri, "tester.test", "target.test");

        var match = Header().Match(header);
        Assert.True(match.Success, header);
        Assert.Equal(["tester.test", "target.test", "ed25519:1"], [match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value]);
        // Written out by hand: keys sorted, no whitespace, the URI exactly as sent (percent-encoding kept).
        var expected = Encoding.UTF8.GetBytes("{\"destination\":\"target.test\",\"method\":\"GET\",\"origin\":\"tester.test\",\"uri\":\"" + uri + "\"}");
        Assert.Equal(expected, XMatrixSigner.SigningBytes("GET", uri, "tester.test", "target.test"));
        Assert.True(UnpaddedBase64.TryDecode(match.Groups[4].Value, out var signature));
        Assert.True(Ed25519.Verify(SpecKey.PublicKey.Span, expected, signature));
        Assert.False(Ed25519.Verify(SpecKey.PublicKey.Span, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(expected).Replace("%23", "#", StringComparison.Ordinal)), signature));
    }

    [Fact]
    public void A_body_is_signed_as_canonical_content()
    {
        var content = JsonNode.Parse("""{"server_keys": {"b": {}, "a": {"é": 1}}}""");
        var bytes = Encoding.UTF8.GetString(XMatrixSigner.SigningBytes("POST", "/_matrix/key/v2/query", "o", "d", content));
        Assert.Equal("{\"content\":{\"server_keys\":{\"a\":{\"é\":1},\"b\":{}}},\"destination\":\"d\",\"method\":\"POST\",\"origin\":\"o\",\"uri\":\"/_matrix/key/v2/query\"}", bytes);
    }
}
