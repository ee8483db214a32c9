using System.Net.Sockets;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>No finding that the real handshake path can never emit.</summary>
public sealed class TlsVersionVerdictTests : LabTest
{
    [Fact]
    public async Task A_homeserver_that_only_speaks_TLS_1_0_fails_the_real_handshake_as_too_old()
    {
        var address = FederationLab.NewAddress();
        Lab.Zone.A("example.test", address.ToString());
        // Port 443 refuses (no well-known); port 8448 answers every ClientHello as a TLS 1.0-only server does.
        Lab.Raw(address, 8448, async (socket, ct) =>
        {
            var buffer = new byte[4096];
            _ = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            await socket.SendAsync(new byte[] { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 70 }, SocketFlags.None, ct);
        });

        var run = await Lab.DiagnoseAsync("example.test");

        var go = AssertVerdict(run, VerdictStatus.Broken, goFederationOk: false);
        AssertFinding(run, "tls.protocol.too_old", Severity.Error, $"{address}:8448");
        Assert.True(go.GetProperty("ConnectionErrors").TryGetProperty($"{address}:8448", out _));
    }

    [Fact]
    public void The_catalog_and_docs_list_no_negotiated_old_protocol_finding()
    {
        // The client offers TLS 1.2 and 1.3 only, so "an obsolete version was negotiated" cannot happen.
        Assert.Null(FindingCatalog.Find("tls.protocol.old"));
        Assert.NotNull(FindingCatalog.Find("tls.protocol.too_old"));
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "federation-tls.md"));
        Assert.DoesNotContain("warning when one of them is negotiated", docs, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MatrixTester.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root not found");
    }
}
