namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>
/// How a query ended, as a person reads it: the status names dig prints for a response (NOERROR, NXDOMAIN,
/// SERVFAIL, REFUSED, FORMERR, …) and a few words when no usable response came at all.
/// </summary>
public static class DnsStatus
{
    public static string Of(DnsAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Describe(answer.Outcome, answer.Rcode);
    }

    public static string Describe(DnsOutcome outcome, int rcode) => outcome switch
    {
        DnsOutcome.NoError => "NOERROR",
        DnsOutcome.NxDomain => "NXDOMAIN",
        DnsOutcome.ServFail => "SERVFAIL",
        DnsOutcome.Refused => "REFUSED",
        DnsOutcome.OtherRcode => Rcode(rcode),
        DnsOutcome.Timeout => "no answer in time",
        DnsOutcome.NetworkError => "name server unreachable",
        DnsOutcome.MalformedResponse => "malformed response",
        DnsOutcome.CnameLoop => "CNAME loop",
        DnsOutcome.NoNameServers => "no name server configured",
        _ => "unknown",
    };

    /// <summary>RFC 1035 and RFC 6895 names for the response codes a resolver may send.</summary>
    public static string Rcode(int rcode) => rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        < 0 => "no response",
        _ => $"RCODE {rcode}",
    };
}
