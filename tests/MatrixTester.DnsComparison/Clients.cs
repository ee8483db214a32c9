using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MatrixTester.Diagnostics.DnsLookup;
using Ours = MatrixTester.Diagnostics.DnsLookup.DnsClient;

namespace MatrixTester.DnsComparison;

/// <summary>Asks one question with each client and says in one cell what it did with the answer.</summary>
internal static class Clients
{
    /// <summary>Short, so a client that keeps waiting for a valid answer finishes quickly; the lab answers in microseconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private const int MaxCell = 110;

    /// <summary>The package with its defaults, except no cache (each case asks a fresh name anyway) and a short timeout.</summary>
    public static LookupClient Theirs(IPEndPoint server) =>
        new(new LookupClientOptions(server) { UseCache = false, Timeout = Timeout });

    public static string Describe(Func<IDnsQueryResponse> query, IPEndPoint server)
    {
        try
        {
            return Describe(query());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the package throws is how it turned the answer down; the cell names the exception type.
            return Rejected(e, server);
        }
    }

    public static async Task<string> DescribeAsync(Func<Task<IDnsQueryResponse>> query, IPEndPoint server)
    {
        try
        {
            return Describe(await query());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Rejected(e, server);
        }
    }

    public static async Task<string> OursAsync(IPEndPoint server, string name)
    {
        var answer = await new Ours([server], Timeout, TimeProvider.System).QueryAsync(name, DnsRecordType.A, CancellationToken.None);
        if (answer.Outcome == DnsOutcome.NoError && answer.Records.Count > 0)
        {
            return "**accepted**: " + string.Join(", ", answer.Records.OfType<MatrixTester.Diagnostics.DnsLookup.AddressRecord>().Select(r => $"`{r.Name}` A {r.Address}"));
        }
        return Cell($"rejected ({answer.Outcome}): {answer.Error}", server);
    }

    private static string Describe(IDnsQueryResponse response)
    {
        if (response.Answers.Count > 0)
        {
            return "**accepted**: " + string.Join(", ", response.Answers.Select(Record));
        }
        return response.HasError ? Cell($"rejected: {response.ErrorMessage}", null) : "no records, no error";
    }

    private static string Record(DnsResourceRecord record) => record switch
    {
        ARecord a => $"`{Owner(a)}` A {a.Address}",
        _ => $"`{Owner(record)}` {record.RecordType}",
    };

    /// <summary>The owner name as the caller sees it ("." for the root).</summary>
    private static string Owner(DnsResourceRecord record) => record.DomainName.Value;

    private static string Rejected(Exception e, IPEndPoint server) =>
        Cell($"rejected ({e.GetType().Name}): {(e.InnerException ?? e).Message}", server);

    /// <summary>One table cell: the server's random port and our repeated prefix left out, pipes escaped, long messages cut.</summary>
    private static string Cell(string text, IPEndPoint? server)
    {
        var cleaned = (server is null ? text : text.Replace($"{server} sent a malformed response: ", "", StringComparison.Ordinal)
                .Replace(server.ToString(), "the server", StringComparison.Ordinal))
            .Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
        return cleaned.Length <= MaxCell ? cleaned : cleaned[..MaxCell] + "…";
    }
}
