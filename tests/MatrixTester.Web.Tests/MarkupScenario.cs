using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Web.Tests;

/// <summary>
/// Lab servers that put markup and script into every server-controlled string the report shows: the /version
/// software name and version, the certificate subject, the .well-known body and an error text. If any of it were
/// rendered as HTML, <c>window.pwned</c> would be set (or an element with an event handler would exist).
/// </summary>
internal static class MarkupScenario
{
    public const string VersionName = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>";
    public const string VersionNumber = "1.0<svg onload=window.pwned=3>";
    public const string CertificateName = "<b onmouseover=window.pwned=4>cert</b>";
    public const string WellKnownMarkup = "<iframe src=javascript:window.pwned=5></iframe>";
    public const string KeyErrorMarkup = "<script>window.pwned=6</script>";

    /// <summary>Delegates to a homeserver whose certificate CN, /version and key response all carry markup.</summary>
    public const string Delegated = "xss.example.test";

    /// <summary>Its .well-known answers an HTML page with markup instead of JSON.</summary>
    public const string BadWellKnown = "xss-wellknown.example.test";

    private static readonly SemaphoreSlim Once = new(1, 1);

    public static async Task CreateAsync(FederationLab lab)
    {
        await Once.WaitAsync();
        try
        {
            if (lab.Zone.Find(Delegated) is not null)
            {
                return;
            }
            var web = FederationLab.NewAddress();
            lab.Zone.A(Delegated, web.ToString());
            await lab.HttpsAsync(web, 443, lab.Pki.Issue(Delegated), r => r.Delegate($"hs.{Delegated}:8448"));
            var hs = FederationLab.NewAddress();
            lab.Zone.A($"hs.{Delegated}", hs.ToString());
            var key = LabSigningKey.Create();
            // The CN is quoted for the X.500 string parser; the certificate's subject then holds the raw markup.
            var certificate = lab.Pki.Issue(new LeafSpec([$"hs.{Delegated}"]) { CommonName = $"\"{CertificateName}\"" });
            await lab.HttpsAsync(hs, 8448, certificate, r => r
                .Json("/_matrix/federation/v1/version", System.Text.Json.JsonSerializer.Serialize(new { server = new { name = VersionName, version = VersionNumber } }))
                .Json("/_matrix/key/v2/server", System.Text.Json.JsonSerializer.Serialize(new { errcode = "M_UNKNOWN", error = KeyErrorMarkup }), status: 500));

            var other = FederationLab.NewAddress();
            lab.Zone.A(BadWellKnown, other.ToString());
            await lab.HttpsAsync(other, 443, lab.Pki.Issue(BadWellKnown), r => r
                .WellKnown($"<html><body>{WellKnownMarkup}<script>window.pwned=7</script></body></html>", "text/html"));
        }
        finally
        {
            Once.Release();
        }
    }
}
