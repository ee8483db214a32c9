using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MatrixTester.Lab;
using Microsoft.Playwright;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The site on a real Kestrel port (127.0.0.1, any free port) for Debian's chromium, driven by Playwright. Browsers
/// are never downloaded: Playwright's bundled driver launches <see cref="Prerequisite.ChromiumPath"/>. Without
/// chromium the site still starts, and every test skips (fails under CI) when it asks for the browser.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private SiteFactory? _server;

    public SiteFixture Site { get; } = new();

    private IBrowser? _browser;

    /// <summary>The launched chromium; skips the asking test where chromium is missing (fails it under CI).</summary>
    public IBrowser Browser => _browser ?? throw SkipWithoutChromium();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Screenshots for people to look at: TestResults/screenshots at the repository root (ignored by git).</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("MATRIXTESTER_SCREENSHOTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(RepositoryRoot(), "TestResults", "screenshots");

    /// <summary>Site settings of a derived fixture (e.g. a shorter deadline); they win over the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public virtual async ValueTask InitializeAsync()
    {
        await Site.InitializeAsync();
        _server = new SiteFactory(Site.Lab, Site.DataDirectory, Settings);
        _server.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        _server.StartServer();
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Directory.CreateDirectory(ScreenshotDirectory);
        if (Prerequisite.Chromium.Missing is not null)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Prerequisite.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = BaseAddress.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 900 };
        var context = await Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        await Site.DisposeAsync();
    }

    private static InvalidOperationException SkipWithoutChromium()
    {
        Requires.Part(Prerequisite.Chromium);
        return new InvalidOperationException("chromium was found but did not start");
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
        return AppContext.BaseDirectory;
    }
}
