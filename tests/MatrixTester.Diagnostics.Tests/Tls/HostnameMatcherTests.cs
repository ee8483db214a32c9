using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics.Tests.Tls;

/// <summary>RFC 6125 §6.4 reference-identity matching, as Go and Python peers apply it.</summary>
public sealed class HostnameMatcherTests
{
    [Theory]
    [InlineData("example.org", "example.org", true)]
    [InlineData("Example.ORG", "example.org", true)]
    [InlineData("example.org.", "example.org", true)]
    [InlineData("example.org", "www.example.org", false)]
    [InlineData("*.example.org", "matrix.example.org", true)]
    [InlineData("*.example.org", "MATRIX.example.org", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("*.example.org", "a.b.example.org", false)]
    [InlineData("*.org", "example.org", false)]
    [InlineData("m*.example.org", "matrix.example.org", false)]
    [InlineData("*.*.example.org", "a.b.example.org", false)]
    [InlineData("matrix.*.org", "matrix.example.org", false)]
    [InlineData("xn--bcher-kva.example", "bücher.example", true)]
    [InlineData("", "example.org", false)]
    public void Dns_san_matching(string pattern, string host, bool expected) =>
        Assert.Equal(expected, HostnameMatcher.MatchesDns(pattern, host));

    [Theory]
    [InlineData("1.2.3.4", true, "1.2.3.4")]
    [InlineData("[2001:db8::1]", true, "2001:db8::1")]
    [InlineData("2001:db8::1", true, "2001:db8::1")]
    [InlineData("example.org", false, null)]
    [InlineData("1.2", false, null)]
    [InlineData("1234", false, null)]
    public void Ip_literals_are_recognised_strictly(string name, bool isIp, string? canonical)
    {
        Assert.Equal(isIp, HostnameMatcher.TryParseIp(name, out var address));
        if (isIp)
        {
            Assert.Equal(canonical, address.ToString());
        }
    }
}
