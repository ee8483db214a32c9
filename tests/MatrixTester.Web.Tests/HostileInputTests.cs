using System.Net;

namespace MatrixTester.Web.Tests;

/// <summary>
/// Nothing a visitor sends may produce a 500: odd names, encodings, paths and ids all get a clear 4xx or a report.
/// (A NUL in the path never reaches the app: Kestrel refuses it with 400, and the in-memory test server cannot send it.)
/// </summary>
public sealed class HostileInputTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private readonly HttpClient _client = fixture.Site.CreateClient();

    public static TheoryData<string> Urls() =>
    [
        "/?server_name=%00",
        "/?server_name=%5B",
        "/?server_name=%5B%3A%3A1",
        "/?server_name=" + Uri.EscapeDataString("ex\u00e4mple.test"),
        "/?server_name=" + Uri.EscapeDataString("\u202eevil.test"),
        "/?server_name=a..b",
        "/?server_name=example.test:99999",
        "/?server_name=example.test:-1",
        "/?server_name=%20%20",
        "/?server_name=a&server_name=b",
        "/?stream=1&server_name=" + Uri.EscapeDataString("\"><script>"),
        "/api/report?server_name=%00",
        "/api/report?server_name=a&server_name=b",
        "/api/federation-ok?server_name=%5B%3A%3A1%5D",
        "/api/v2/report?server_name=" + Uri.EscapeDataString("https://example.test/"),
        "/api/v2/results/" + new string('A', 500),
        "/api/v2/results/%01",
        "/r/" + new string('A', 500),
        "/r/%2e%2e",
        "/r/x?handler=Fragment",
        "/r/x?handler=Nonexistent",
        "/s/%01",
        "/s/" + new string('a', 2000),
        "/s/%5B",
        "/docs/%2e%2e%2fappsettings.json",
        "/docs/" + new string('a', 2000),
        "/docs/findings?x=%00",
        "/error?status=abc",
    ];

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Never_a_server_error(string url)
    {
        using var response = await _client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }
}
