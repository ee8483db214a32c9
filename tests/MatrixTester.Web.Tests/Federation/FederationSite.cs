using MatrixTester.Lab;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>A site with an identity (<see cref="Name"/>), its own data directory, and the test's extra settings.</summary>
internal static class FederationSite
{
    public const string Name = "tester.example.test";

    public static SiteFactory Create(FederationLab lab, string dataDirectory, params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Federation:ServerName"] = Name };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return new SiteFactory(lab, dataDirectory, all);
    }

    public static string NewDirectory(string parent) => Path.Combine(parent, "fed-" + Guid.NewGuid().ToString("N"));
}
