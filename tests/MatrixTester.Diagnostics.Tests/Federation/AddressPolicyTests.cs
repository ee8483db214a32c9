using System.Net;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Tests.Federation;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("10.1.2.3", "RFC 1918")]
    [InlineData("172.16.0.1", "RFC 1918")]
    [InlineData("172.31.255.255", "RFC 1918")]
    [InlineData("192.168.1.1", "RFC 1918")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("0.0.0.0", "this network")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("198.51.100.1", "documentation")]
    [InlineData("203.0.113.5", "documentation")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00::1", "unique local")]
    [InlineData("fc12:3456::1", "unique local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped")]
    [InlineData("::ffff:10.0.0.1", "IPv4-mapped")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::127.0.0.1", "IPv4-compatible")]
    [InlineData("::10.0.0.1", "IPv4-compatible")]
    [InlineData("64:ff9b::7f00:1", "NAT64")]
    [InlineData("64:ff9b::a00:1", "NAT64")]
    [InlineData("2002:7f00:1::1", "6to4")]
    [InlineData("2002:c0a8:101::1", "6to4")]
    [InlineData("2001:0::1", "Teredo")]
    [InlineData("fec0::1", "site-local")]
    public void Non_public_addresses_are_refused_with_the_range_named(string address, string rangeFragment)
    {
        var decision = new AddressPolicy(allowPrivateNetworks: false).Check(IPAddress.Parse(address));
        Assert.False(decision.Allowed);
        Assert.Contains(rangeFragment, decision.Range, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("2a01:4f8::1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:0808:0808::1")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.True(new AddressPolicy(allowPrivateNetworks: false).Check(IPAddress.Parse(address)).Allowed);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.0.0.1")]
    public void The_explicit_option_allows_private_targets(string address)
    {
        Assert.True(new AddressPolicy(allowPrivateNetworks: true).Check(IPAddress.Parse(address)).Allowed);
    }
}
