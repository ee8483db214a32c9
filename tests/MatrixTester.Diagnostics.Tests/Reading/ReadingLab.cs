using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;

namespace MatrixTester.Diagnostics.Tests.Reading;

/// <summary>
/// Lab servers for the reading, each a healthy delegated homeserver (<see cref="LabServer"/>, with a support file)
/// with one thing changed: the client API refused, no support file, a .well-known that never finishes, an expired
/// certificate.
/// </summary>
internal static class ReadingLab
{
    public static Task<LabServer> HealthyAsync(FederationLab lab) => new LabServer(lab).StartAsync();

    /// <summary>Federation is fine; the client well-known sends clients to a port where nothing listens.</summary>
    public static Task<LabServer> ClientApiRefusedAsync(FederationLab lab) => new LabServer(lab)
    {
        WebServer = r => r.ClientWellKnown("https://matrix.example.test:1"),
    }.StartAsync();

    public static Task<LabServer> NoSupportFileAsync(FederationLab lab) => new LabServer(lab)
    {
        WebServer = r => r.Json("/.well-known/matrix/support", """{"errcode": "M_NOT_FOUND"}""", status: 404),
    }.StartAsync();

    /// <summary>
    /// The server and client .well-known files answer with bodies that never end: only the overall time limit stops
    /// the test, in server discovery, with the client files unread (the support file may answer meanwhile).
    /// </summary>
    public static Task<LabServer> TricklingWellKnownAsync(FederationLab lab) => new LabServer(lab)
    {
        WebServer = r => r.Drip("/.well-known/matrix/server", TimeSpan.FromMilliseconds(200)).Drip("/.well-known/matrix/client", TimeSpan.FromMilliseconds(200)),
    }.StartAsync();

    public static Task<LabServer> ExpiredCertificateAsync(FederationLab lab) => new LabServer(lab)
    {
        Certificate = pki => pki.IssueExpired("matrix.example.test"),
    }.StartAsync();
}
