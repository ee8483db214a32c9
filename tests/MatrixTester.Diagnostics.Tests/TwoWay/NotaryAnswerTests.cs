using System.Text;
using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

public sealed class NotaryAnswerTests
{
    private static readonly LabSigningKey Target = LabSigningKey.Create("ed25519:t1");
    private static readonly Dictionary<string, byte[]> TargetKeys = new() { ["ed25519:t1"] = Target.PublicKey.ToArray() };

    /// <summary>Our key response as our endpoint serves it, then countersigned by the notary, wrapped in server_keys.</summary>
    private static byte[] Answer(TestProbeKey probe, LabSigningKey notary, string notaryName = "target.test", string server = "tester.test")
    {
        var ours = probe.Key.KeyResponse(server, DateTimeOffset.UtcNow.AddHours(1));
        var countersigned = notary.SignJson(ours, notaryName);
        return Encoding.UTF8.GetBytes(new JsonObject { ["server_keys"] = new JsonArray(JsonNode.Parse(countersigned)) }.ToJsonString());
    }

    [Fact]
    public void Our_probe_key_signed_by_us_and_the_target_verifies()
    {
        var probe = TestProbeKey.Create();
        var verdict = NotaryAnswer.Read(Answer(probe, Target), "tester.test", probe, "target.test", TargetKeys);
        Assert.Equal((true, true, true), (verdict.HasProbeKey, verdict.SignedByUs, verdict.SignedByTarget));
    }

    [Fact]
    public void A_countersignature_by_a_key_the_target_did_not_publish_does_not_count()
    {
        var probe = TestProbeKey.Create();
        var verdict = NotaryAnswer.Read(Answer(probe, LabSigningKey.Create("ed25519:t1")), "tester.test", probe, "target.test", TargetKeys);
        Assert.Equal((true, true, false), (verdict.HasProbeKey, verdict.SignedByUs, verdict.SignedByTarget));
    }

    [Theory]
    [InlineData("{\"server_keys\":[]}")]
    [InlineData("{}")]
    [InlineData("not json")]
    public void An_answer_without_our_key_says_so(string body)
    {
        var probe = TestProbeKey.Create();
        var verdict = NotaryAnswer.Read(Encoding.UTF8.GetBytes(body), "tester.test", probe, "target.test", TargetKeys);
        Assert.False(verdict.HasProbeKey);
        Assert.False(string.IsNullOrEmpty(verdict.Detail));
    }

    [Fact]
    public void Another_key_of_ours_is_not_the_probe_key()
    {
        var probe = TestProbeKey.Create();
        var other = new TestProbeKey(LabSigningKey.Create(probe.KeyId), DateTimeOffset.UtcNow);
        var verdict = NotaryAnswer.Read(Answer(other, Target), "tester.test", probe, "target.test", TargetKeys);
        Assert.False(verdict.HasProbeKey);
    }
}
