namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>A DNS message that claims to answer our query but breaks the wire format (RFC 1035 section 4).</summary>
public sealed class DnsFormatException : Exception
{
    public DnsFormatException()
    {
    }

    public DnsFormatException(string message) : base(message)
    {
    }

    public DnsFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
