using System.Net;
using MatrixTester.Diagnostics;

namespace MatrixTester.Diagnostics.Tests.ServerNames;

public sealed class ServerNameTests
{
    // The spec's valid examples (appendices, "Server Name") and everyday variants.
    [Theory]
    [InlineData("matrix.org", "matrix.org", null, ServerNameKind.DnsName, "matrix.org")]
    [InlineData("matrix.org:8888", "matrix.org", 8888, ServerNameKind.DnsName, "matrix.org:8888")]
    [InlineData("1.2.3.4", "1.2.3.4", null, ServerNameKind.IPv4, "1.2.3.4")]
    [InlineData("1.2.3.4:1234", "1.2.3.4", 1234, ServerNameKind.IPv4, "1.2.3.4:1234")]
    [InlineData("[1234:5678::abcd]", "1234:5678::abcd", null, ServerNameKind.IPv6, "[1234:5678::abcd]")]
    [InlineData("[1234:5678::abcd]:5678", "1234:5678::abcd", 5678, ServerNameKind.IPv6, "[1234:5678::abcd]:5678")]
    [InlineData("localhost", "localhost", null, ServerNameKind.DnsName, "localhost")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", null, ServerNameKind.DnsName, "xn--bcher-kva.example")]
    [InlineData("  example.org  ", "example.org", null, ServerNameKind.DnsName, "example.org")]
    [InlineData("a.b:1", "a.b", 1, ServerNameKind.DnsName, "a.b:1")]
    [InlineData("a.b:65535", "a.b", 65535, ServerNameKind.DnsName, "a.b:65535")]
    [InlineData("[::ffff:1.2.3.4]", "::ffff:1.2.3.4", null, ServerNameKind.IPv6, "[::ffff:1.2.3.4]")]
    [InlineData("0.0.0.0", "0.0.0.0", null, ServerNameKind.IPv4, "0.0.0.0")]
    [InlineData("3com.example", "3com.example", null, ServerNameKind.DnsName, "3com.example")]
    public void Valid_names_parse_into_host_port_and_kind(string input, string host, int? port, ServerNameKind kind, string hostHeader)
    {
        Assert.True(ServerName.TryParse(input, out var name, out var error), error?.Message);
        Assert.Equal(host, name.Host);
        Assert.Equal(port, name.Port);
        Assert.Equal(kind, name.Kind);
        Assert.Equal(hostHeader, name.HostHeader);
        Assert.Equal(kind != ServerNameKind.DnsName, name.Address is not null);
    }

    [Theory]
    [InlineData("", ServerNameErrorKind.Empty, null)]
    [InlineData("   ", ServerNameErrorKind.Empty, null)]
    [InlineData("@alice:example.org", ServerNameErrorKind.MatrixIdGiven, "example.org")]
    [InlineData("#room:example.org:8448", ServerNameErrorKind.MatrixIdGiven, "example.org:8448")]
    [InlineData("https://example.org", ServerNameErrorKind.SchemeGiven, "example.org")]
    [InlineData("https://example.org/_matrix", ServerNameErrorKind.SchemeGiven, "example.org")]
    [InlineData("example.org/", ServerNameErrorKind.PathGiven, "example.org")]
    [InlineData("example.org/.well-known/matrix/server", ServerNameErrorKind.PathGiven, "example.org")]
    [InlineData("example.org?x=1", ServerNameErrorKind.PathGiven, "example.org")]
    [InlineData("example.org:", ServerNameErrorKind.BadPort, null)]
    [InlineData("example.org:0", ServerNameErrorKind.BadPort, null)]
    [InlineData("example.org:65536", ServerNameErrorKind.BadPort, null)]
    [InlineData("example.org:123456", ServerNameErrorKind.BadPort, null)]
    [InlineData("example.org:+80", ServerNameErrorKind.BadPort, null)]
    [InlineData("example.org:http", ServerNameErrorKind.BadPort, null)]
    [InlineData("example..org", ServerNameErrorKind.EmptyLabel, null)]
    [InlineData(".example.org", ServerNameErrorKind.EmptyLabel, null)]
    [InlineData("example.org.", ServerNameErrorKind.EmptyLabel, "example.org")]
    [InlineData(":8448", ServerNameErrorKind.EmptyLabel, null)]
    [InlineData("exa mple.org", ServerNameErrorKind.IllegalCharacter, null)]
    [InlineData("under_score.example", ServerNameErrorKind.IllegalCharacter, null)]
    [InlineData("bücher.example", ServerNameErrorKind.IllegalCharacter, null)]
    [InlineData("example.org\u0000", ServerNameErrorKind.IllegalCharacter, null)]
    [InlineData("user@example.org", ServerNameErrorKind.IllegalCharacter, null)]
    [InlineData("2001:db8::1", ServerNameErrorKind.UnbracketedIPv6, "[2001:db8::1]")]
    [InlineData("::1", ServerNameErrorKind.UnbracketedIPv6, "[::1]")]
    [InlineData("a:b:c", ServerNameErrorKind.UnbracketedIPv6, null)]
    [InlineData("[2001:db8::1", ServerNameErrorKind.BadIPv6, null)]
    [InlineData("[]", ServerNameErrorKind.BadIPv6, null)]
    [InlineData("[fe80::1%eth0]", ServerNameErrorKind.BadIPv6, null)]
    [InlineData("[1:2:3:4:5:6:7:8:9]", ServerNameErrorKind.BadIPv6, null)]
    [InlineData("[example.org]", ServerNameErrorKind.IllegalCharacter, null)]
    [InlineData("[::1]8448", ServerNameErrorKind.IllegalCharacter, null)]
    [InlineData("[::1]:99999", ServerNameErrorKind.BadPort, null)]
    [InlineData("256.1.1.1", ServerNameErrorKind.BadIPv4, null)]
    [InlineData("1.2.3", ServerNameErrorKind.BadIPv4, null)]
    [InlineData("127.1", ServerNameErrorKind.BadIPv4, null)]
    [InlineData("2130706433", ServerNameErrorKind.BadIPv4, null)]
    [InlineData("01.2.3.4", ServerNameErrorKind.BadIPv4, null)]
    [InlineData("1.2.3.4.5", ServerNameErrorKind.BadIPv4, null)]
    [InlineData("0x7f.1", ServerNameErrorKind.NumericTopLabel, null)]
    [InlineData("0x7f.0x1", ServerNameErrorKind.BadIPv4, null)]
    [InlineData("example.123", ServerNameErrorKind.NumericTopLabel, null)]
    public void Invalid_names_get_a_precise_error(string input, ServerNameErrorKind kind, string? suggestion)
    {
        Assert.False(ServerName.TryParse(input, out _, out var error));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(suggestion, error.Suggestion);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Over_long_names_and_labels_are_rejected()
    {
        var label64 = new string('a', 64);
        Assert.False(ServerName.TryParse($"{label64}.example", out _, out var labelError));
        Assert.Equal(ServerNameErrorKind.LabelTooLong, labelError.Kind);

        var host256 = string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".ab"; // 4*63+3+3 = 258
        Assert.False(ServerName.TryParse(host256, out _, out var longError));
        Assert.Equal(ServerNameErrorKind.TooLong, longError.Kind);
    }

    [Theory]
    [InlineData("Example.org", ServerNameWarningKind.UpperCase)]
    [InlineData("1.2.3.4", ServerNameWarningKind.IpLiteral)]
    [InlineData("[::1]:8448", ServerNameWarningKind.IpLiteral)]
    [InlineData("-bad.example", ServerNameWarningKind.HyphenAtLabelEdge)]
    [InlineData("example.org:08448", ServerNameWarningKind.PortLeadingZero)]
    public void Legal_but_risky_names_parse_with_a_warning(string input, ServerNameWarningKind warning)
    {
        Assert.True(ServerName.TryParse(input, out var name, out _));
        Assert.Contains(name.Warnings, w => w.Kind == warning);
    }

    [Fact]
    public void A_name_longer_than_230_characters_is_accepted_with_a_warning()
    {
        var host = string.Join('.', Enumerable.Repeat(new string('a', 50), 5)); // 254 characters
        Assert.True(ServerName.TryParse(host, out var name, out _));
        Assert.Contains(name.Warnings, w => w.Kind == ServerNameWarningKind.LongerThan230);
    }

    [Fact]
    public void Plain_lower_case_names_have_no_warnings()
    {
        Assert.True(ServerName.TryParse("example.org:8448", out var name, out _));
        Assert.Empty(name.Warnings);
    }

    [Fact]
    public void Case_is_preserved_because_server_names_are_case_sensitive()
    {
        var name = ServerName.Parse("Example.ORG");
        Assert.Equal("Example.ORG", name.Host);
        Assert.NotEqual(ServerName.Parse("example.org"), name);
    }

    [Fact]
    public void IPv6_literal_keeps_the_parsed_address()
    {
        var name = ServerName.Parse("[2001:db8::10]:443");
        Assert.Equal(IPAddress.Parse("2001:db8::10"), name.Address);
        Assert.Equal("[2001:db8::10]", name.HostForUri);
    }
}
